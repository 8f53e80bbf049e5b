package dev.dialtone.cli.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.cli.Dialtone;
import dev.dialtone.dns.epoch.ZooKeeperEpoch;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.bind.BindServer;
import dev.dialtone.peers.process.FreePorts;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** {@code dialtone dns show} and {@code dialtone dns apply} against a real BIND 9. */
class DnsCommandsIT {
  @RegisterExtension static final PeerExtension<BindServer> bind = PeerExtension.of(BindServer::new);

  /** Knows a dialtone-key but serves com. with example.com. delegated away: it only refers. */
  @RegisterExtension
  static final PeerExtension<BindServer> notAuthoritative =
      PeerExtension.of(dir -> new BindServer(dir, "com.", BindServer.randomSecret(), "example.com. IN NS ns1.example.net."));
  private static final AtomicInteger domains = new AtomicInteger();

  @TempDir Path dir;

  /** A command run: exit status, standard output, standard error. */
  record Run(int exit, String out, String err) {}

  private Path config(String domain, String zookeeper) throws Exception {
    return config(domain, zookeeper, bind.peer());
  }

  private Path config(String domain, String zookeeper, BindServer server) throws Exception {
    Path file = dir.resolve("dialtone.yaml");
    Files.writeString(file, """
        deployment: acme
        zookeeper: { connect: "%s" }
        regions:
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.net:5060" } }
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.net:5060" } }
        dns:
          provider: { rfc2136: { server: "127.0.0.1:%d", zone: "example.com.", tsigKeyFile: "%s" } }
          records:
            - { name: "voice.%s", type: A }
            - { name: "_sip._udp.voice.%s", type: SRV }
          fallback: [ { id: maintenance, a: [192.0.2.250], sip: "sip:vm@pbx.example.net" } ]
        """.formatted(zookeeper, server.port(), server.tsigKeyFile(), domain, domain));
    return file;
  }

  private static String freshDomain() {
    return "cli" + domains.incrementAndGet() + ".example.com.";
  }

  // "dns show" runs through the root command (proving it is registered); "dns apply" runs the
  // command itself so the confirmation can come from a string.
  private static Run run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cli =
        args[1].equals("apply")
            ? new picocli.CommandLine(new DnsApplyCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))))
            : Dialtone.commandLine();
    String[] rest = args[1].equals("apply") ? java.util.Arrays.copyOfRange(args, 2, args.length) : args;
    int exit = cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(rest);
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<String> answer(String name, int type) throws Exception {
    Message response = bind.peer().resolver().send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    return response.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
  }

  @Test
  void applyWithForceEpochShiftsAfterConfirmationAndSaysSoLoudly() throws Exception {
    String domain = freshDomain();
    Path file = config(domain, "127.0.0.1:1");

    Run run = run("yes\n", "dns", "apply", "--config", file.toString(), "--region", "us-west", "--force-epoch", "3");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.err()).contains("BREAK-GLASS: --force-epoch 3 given: ZooKeeper NOT consulted");
    assertThat(run.out()).contains("dns apply us-west > us-east under epoch 3").contains("Type 'yes' to apply")
        .contains("applied and read back");
    assertThat(answer("voice." + domain, Type.A)).containsExactly("198.51.100.20");
    assertThat(answer("_sip._udp.voice." + domain, Type.SRV))
        .containsExactly("10 0 5060 edge.us-west.example.net.", "20 0 5060 edge.us-east.example.net.");
  }

  @Test
  void declinedConfirmationChangesNothing() throws Exception {
    String domain = freshDomain();
    Path file = config(domain, "127.0.0.1:1");
    Run run = run("no\n", "dns", "apply", "--config", file.toString(), "--region", "us-east", "--force-epoch", "1");
    assertThat(run.exit()).isEqualTo(DnsApplyCommand.EXIT_DECLINED);
    assertThat(answer("voice." + domain, Type.A)).isEmpty();
  }

  @Test
  void applyReadsTheEpochFromZooKeeper() throws Exception {
    String domain = freshDomain();
    try (TestingServer zk = new TestingServer(FreePorts.tcpAndUdp(), dir.resolve("zk").toFile());
        CuratorFramework client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
      client.start();
      client.create().creatingParentsIfNeeded().forPath(ZooKeeperEpoch.path("acme"), "17".getBytes(StandardCharsets.US_ASCII));
      Path file = config(domain, zk.getConnectString());

      Run run = run("", "dns", "apply", "--config", file.toString(), "--region", "us-east", "--yes");

      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out()).contains("under epoch 17");
      assertThat(answer("_dialtone-owner.voice." + domain, Type.TXT)).containsExactly("\"dialtone deployment=acme epoch=17\"");
    }
  }

  @Test
  void withoutZooKeeperItRefusesAndPointsAtForceEpoch() throws Exception {
    Path file = config(freshDomain(), "127.0.0.1:" + FreePorts.tcpAndUdp());
    Run run = run("", "dns", "apply", "--config", file.toString(), "--region", "us-east", "--yes");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("cannot read /dialtone/acme/epoch from ZooKeeper").contains("--force-epoch N");
  }

  @Test
  void aStaleForcedEpochIsFenced() throws Exception {
    String domain = freshDomain();
    Path file = config(domain, "127.0.0.1:1");
    assertThat(run("", "dns", "apply", "--config", file.toString(), "--region", "us-east", "--force-epoch", "9", "--yes").exit()).isZero();

    Run stale = run("", "dns", "apply", "--config", file.toString(), "--outage", "--force-epoch", "8", "--yes");

    assertThat(stale.exit()).isEqualTo(DnsApplyCommand.EXIT_FENCED);
    assertThat(stale.err()).contains("epoch 8 is stale, DNS is owned by epoch 9");
    assertThat(answer("voice." + domain, Type.A)).containsExactly("203.0.113.10");
  }

  @Test
  void showPrintsRecordsOwnerAndEpoch() throws Exception {
    String domain = freshDomain();
    Path file = config(domain, "127.0.0.1:1");
    Run before = run("", "dns", "show", "--config", file.toString());
    assertThat(before.exit()).as(before.err()).isZero();
    assertThat(before.out()).contains("owner  voice." + domain + " unowned").contains("record voice." + domain + " A (absent)");

    run("", "dns", "apply", "--config", file.toString(), "--region", "us-east", "--force-epoch", "5", "--yes");
    Run after = run("", "dns", "show", "--config", file.toString());

    assertThat(after.out())
        .contains("zone example.com. via rfc2136[127.0.0.1:" + bind.peer().port())
        .contains("routing us-east > us-west (owner epoch 5)")
        .contains("owner  voice." + domain + " ours, epoch 5")
        .contains("record voice." + domain + " A ttl=30 [203.0.113.10]")
        .doesNotContain(bind.peer().tsigSecret());
  }

  @Test
  void showAndDryRunRefuseAServerThatIsNotAuthoritativeForTheZone() throws Exception {
    BindServer server = notAuthoritative.peer();
    Path file = config(freshDomain(), "127.0.0.1:1", server);
    String refusal = "server 127.0.0.1:" + server.port() + " is not authoritative for zone example.com.";

    Run show = run("", "dns", "show", "--config", file.toString());
    assertThat(show.exit()).as(show.out()).isEqualTo(1);
    assertThat(show.err()).contains("PERMANENT").contains(refusal);
    assertThat(show.out()).doesNotContain("unowned").doesNotContain("(absent)");

    Run dryRun = run("", "dns", "apply", "--config", file.toString(), "--region", "us-east", "--force-epoch", "1", "--dry-run");
    assertThat(dryRun.exit()).as(dryRun.out()).isEqualTo(1);
    assertThat(dryRun.err()).contains(refusal);
    assertThat(dryRun.out()).doesNotContain("changing");
  }

  @Test
  void aBadConfigurationExitsWithConfigStatus() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "deployment: acme\n");
    Run run = run("", "dns", "show", "--config", file.toString());
    assertThat(run.exit()).isEqualTo(DnsSession.EXIT_CONFIG);
    assertThat(run.err()).contains(file + ":1: dns: is required: this file configures no DNS");
  }
}
