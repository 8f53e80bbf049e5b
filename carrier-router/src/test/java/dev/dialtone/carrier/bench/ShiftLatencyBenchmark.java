package dev.dialtone.carrier.bench;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.actuation.zookeeper.ZooKeeperEpochGuard;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.kamailio.KamailioConfig;
import dev.dialtone.carrier.kamailio.KamailioDispatcherActuator;
import dev.dialtone.config.Secret;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.kamailio.KamailioServer;
import dev.dialtone.peers.sipp.SippUac;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;

/**
 * Carrier shift latency through a real Kamailio: from the start of {@code apply} (epoch check in
 * ZooKeeper, one database transaction with the ownership compare-and-set, {@code dispatcher.reload}
 * and {@code htable.reload} sent) to the first INVITE answered by the new
 * active region's UAS, under a steady SIPp call load, over {@value #SHIFTS} alternating shifts.
 * Prints median, p99 and max; asserts nothing.
 */
public final class ShiftLatencyBenchmark {
  private static final int SHIFTS = 200;
  private static final int CALLS_PER_SECOND = 200;
  private static final Duration PER_SHIFT_LIMIT = Duration.ofSeconds(5);

  private ShiftLatencyBenchmark() {}

  public static void main(String[] args) throws Exception {
    Clock clock = Clock.systemUTC();
    Path root = Files.createTempDirectory("dialtone-carrier-bench-");
    try (ZooKeeperEnsemble zk = new ZooKeeperEnsemble(root.resolve("zk"));
        SippUas east = new SippUas(root.resolve("east"));
        SippUas west = new SippUas(root.resolve("west"))) {
      zk.start();
      east.start();
      west.start();
      try (KamailioServer kamailio = new KamailioServer(root.resolve("kamailio"), 1, List.of(east.sipUri(), west.sipUri()));
          CuratorFramework client = zk.newClient()) {
        kamailio.start();
        client.start();
        client.create().creatingParentsIfNeeded().forPath("/dialtone/bench/epoch", "1".getBytes(StandardCharsets.US_ASCII));
        ZooKeeperEpochGuard guard = new ZooKeeperEpochGuard(client, "/dialtone/bench/epoch");
        KamailioConfig config = KamailioConfig.of(kamailio.rpcUrl(), Secret.of(kamailio.rpcToken(), "the bench's Kamailio"),
            new KamailioConfig.Database(kamailio.jdbcUrl(), kamailio.databaseUser(),
                Secret.of(kamailio.databasePassword(), "the bench's Kamailio")));
        FallbackPlan fallback = FallbackPlan.of(FallbackDestination.queue("sip:queue@127.0.0.1:9"));
        RegionEdge eastEdge = new RegionEdge("us-east", List.of("127.0.0.1"), List.of(), URI.create(east.sipUri()), null);
        RegionEdge westEdge = new RegionEdge("us-west", List.of("127.0.0.1"), List.of(), URI.create(west.sipUri()), null);
        List<Double> shiftMs = new ArrayList<>();
        List<Double> applyMs = new ArrayList<>();
        try (KamailioDispatcherActuator actuator = new KamailioDispatcherActuator(config, fallback, guard, clock);
            SippUac.Calls load = new SippUac(root.resolve("uac")).start(kamailio.sipPort(), CALLS_PER_SECOND * 600, CALLS_PER_SECOND)) {
          actuator.apply(1, "bench-0", new TrafficTarget.Routed(List.of(eastEdge, westEdge)));
          for (int i = 1; i <= SHIFTS; i++) {
            boolean toWest = i % 2 == 1;
            SippUas target = toWest ? west : east;
            int answeredBefore = (int) target.answeredCalls();
            Instant sent = clock.instant();
            actuator.apply(1, "bench-" + i, new TrafficTarget.Routed(toWest ? List.of(westEdge, eastEdge) : List.of(eastEdge, westEdge)));
            applyMs.add(Duration.between(sent, clock.instant()).toNanos() / 1e6);
            Awaitility.await("shift " + i + " answered in the new region").atMost(PER_SHIFT_LIMIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> target.answeredAt().stream().skip(answeredBefore).anyMatch(t -> !t.isBefore(sent)));
            Instant first = target.answeredAt().stream().skip(answeredBefore).filter(t -> !t.isBefore(sent)).findFirst().orElseThrow();
            shiftMs.add(Duration.between(sent, first).toNanos() / 1e6);
          }
          SippUac.Result calls = load.soFar();
          System.out.printf("carrier shift latency over %d shifts (Kamailio dispatcher, %d calls/s of SIPp load, ZooKeeper epoch guard)%n",
              SHIFTS, CALLS_PER_SECOND);
          print("apply() (guard, DB transaction, reloads, read back)", applyMs);
          print("apply start -> first INVITE answered in new region", shiftMs);
          System.out.printf("calls placed %d, answered %d (the last few may still be in flight)%n", calls.placed(), calls.answered());
        }
      }
    } finally {
      PeerExtension.deleteTree(root);
    }
  }

  private static void print(String what, List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf("  %-52s median %7.2f ms   p99 %7.2f ms   max %7.2f ms%n", what,
        percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.get(sorted.size() - 1));
  }

  private static double percentile(List<Double> sorted, double q) {
    return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(q * sorted.size()) - 1));
  }
}
