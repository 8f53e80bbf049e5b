package dev.dialtone.dns.bench;

import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.dns.Fixtures;
import dev.dialtone.dns.actuator.DnsActuator;
import dev.dialtone.dns.config.DnsConfig;
import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.rfc2136.Rfc2136Provider;
import dev.dialtone.dns.provider.rfc2136.TsigKey;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.bind.BindServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Prints the shift latency on a real BIND 9: from the moment the change is sent (apply starts:
 * read, plan, one UPDATE) until a resolver query to the server answers the new address; median
 * and p99 over 200 shifts. Run with
 * {@code ./mvnw -pl dns-updater -Pbench-shift exec:java} or from an IDE.
 */
public final class ShiftLatencyBench {
  private ShiftLatencyBench() {}

  public static void main(String[] args) throws Exception {
    int shifts = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path dir = Files.createTempDirectory("dialtone-bench-bind-");
    try (BindServer bind = new BindServer(dir)) {
      bind.start();
      DnsConfig config =
          Fixtures.config("bench", new ProviderSettings.Rfc2136("127.0.0.1:" + bind.port(), bind.tsigKeyFile(), null), bind.zone(), bind.zone());
      Rfc2136Provider provider =
          new Rfc2136Provider(new InetSocketAddress("127.0.0.1", bind.port()), bind.zone(), TsigKey.read(bind.tsigKeyFile()), Duration.ofSeconds(2));
      DnsActuator dns = new DnsActuator(provider, config, Fixtures.REGIONS, Clock.systemUTC(), Sleeper.system(), new SplittableRandom());
      SimpleResolver resolver = bind.resolver();
      Name voice = Name.fromString("voice." + bind.zone());
      List<TrafficTarget.Routed> targets = List.of(Fixtures.routed(Fixtures.EAST, Fixtures.WEST), Fixtures.routed(Fixtures.WEST, Fixtures.EAST));

      long[] micros = new long[shifts];
      for (int i = 0; i < shifts; i++) {
        TrafficTarget.Routed target = targets.get(i % 2);
        String expected = target.active().ipv4().get(0);
        long start = System.nanoTime();
        dns.apply(i + 1, "bench-" + i, target);
        // Bounded: a shift that is not served within 5 s fails the run instead of hanging it.
        long deadline = start + Duration.ofSeconds(5).toNanos();
        while (!answers(resolver, voice, expected)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("shift " + i + " not served within 5 s");
          }
        }
        micros[i] = (System.nanoTime() - start) / 1_000;
      }
      Arrays.sort(micros);
      System.out.printf(
          "dns shift latency on BIND 9 (send -> new answer served), %d shifts: median %.2f ms, p99 %.2f ms, max %.2f ms%n",
          shifts, micros[shifts / 2] / 1000.0, micros[(int) Math.ceil(shifts * 0.99) - 1] / 1000.0, micros[shifts - 1] / 1000.0);
    } finally {
      PeerExtension.deleteTree(dir);
    }
  }

  private static boolean answers(SimpleResolver resolver, Name name, String address) throws Exception {
    Message response = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
    return response.getSection(Section.ANSWER).stream()
        .anyMatch(r -> r instanceof ARecord a && a.getAddress().getHostAddress().equals(address));
  }
}
