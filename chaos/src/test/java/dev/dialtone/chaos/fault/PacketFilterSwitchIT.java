package dev.dialtone.chaos.fault;

import static dev.dialtone.chaos.testing.StartedClients.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.netns.NetworkNamespace;
import dev.dialtone.peers.sipp.SipOptionsPing;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packet-filter lever on a real network namespace with a SIPp UAS answering OPTIONS over UDP inside. */
class PacketFilterSwitchIT {
  @RegisterExtension static final PeerExtension<ZooKeeperEnsemble> zookeeper = PeerExtension.of(ZooKeeperEnsemble::new);
  @RegisterExtension static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);

  private static final String PATH = "us-east-carrier";
  private static final Fault BLACKHOLE = new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0);
  private static final AtomicInteger deployments = new AtomicInteger();

  @TempDir static Path dir;
  private static NetworkNamespace namespace;
  private static SippUas edge;

  private final PacketFilterPaths paths = new PacketFilterPaths();
  private DrillZnodes znodes;
  private CuratorFramework leader;

  @BeforeAll
  static void startEdge() {
    namespace = NetworkNamespace.create();
    edge = SippUas.inNamespace(dir.resolve("edge"), namespace);
    edge.start();
  }

  @AfterAll
  static void stopEdge() {
    if (edge != null) {
      edge.close();
    }
    if (namespace != null) {
      namespace.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    znodes = new DrillZnodes("it-pf-" + deployments.incrementAndGet());
    leader = started(zookeeper.peer().newClient());
    paths.register(new PacketFilterPath(PATH, PacketFilter.Protocol.UDP, edge.port(), new NamespacePacketFilter(namespace)));
    assertThat(answers(Duration.ofSeconds(2))).as("the path works before any fault").isTrue();
  }

  @AfterEach
  void tearDown() {
    namespace.heal();
    leader.close();
  }

  private static boolean answers(Duration timeout) throws Exception {
    return SipOptionsPing.status(edge.host(), edge.port(), SippUas.Transport.UDP, timeout) == 200;
  }

  private RoutingFaultSwitch faults(CuratorFramework client) {
    return new RoutingFaultSwitch(toxiproxy.peer().client(), new ToxicLedger(client, znodes),
        new ZooKeeperLiveRuns(client, znodes), Clock.systemUTC(), paths);
  }

  @Test
  void aTimeoutDropsSipOverUdpIsRecordedBeforehandAndHealingRestoresIt() throws Exception {
    RoutingFaultSwitch faults = faults(leader);
    faults.inject("carrier-udp-1", 4, PATH, List.of(BLACKHOLE));

    assertThat(answers(Duration.ofMillis(700))).as("blackholed:\n%s", namespace.rules()).isFalse();
    assertThat(new ToxicLedger(leader, znodes).list())
        .singleElement()
        .satisfies(r -> {
          assertThat(r.lever()).isEqualTo(ToxicRecord.PACKET_FILTER);
          assertThat(r.proxy()).isEqualTo(PATH);
          assertThat(r.toxic()).isEqualTo("dialtone-carrier-udp-1-" + Integer.toHexString(PATH.hashCode() & 0xffff) + "-0");
          assertThat(r.type()).isEqualTo("timeout");
          assertThat(r.epoch()).isEqualTo(4);
        });
    assertThat(new ZooKeeperLiveRuns(leader, znodes).isLive("carrier-udp-1")).isTrue();

    faults.heal("carrier-udp-1");

    assertThat(answers(Duration.ofSeconds(2))).isTrue();
    assertThat(namespace.rules()).doesNotContain("dialtone-carrier-udp-1-" + Integer.toHexString(PATH.hashCode() & 0xffff) + "-0");
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();
    assertThat(new ZooKeeperLiveRuns(leader, znodes).isLive("carrier-udp-1")).isFalse();
    faults.heal("carrier-udp-1"); // idempotent
  }

  @Test
  void downRejectsAndANewLeaderHealsTheRulesOfALeaderThatDiedMidDrill() throws Exception {
    CuratorFramework doomed = started(zookeeper.peer().newClient());
    faults(doomed).inject("carrier-udp-2", 7, PATH, List.of(new Fault.Down()));
    assertThat(answers(Duration.ofMillis(700))).isFalse();
    assertThat(namespace.rules()).contains("reject").contains("dialtone-carrier-udp-2-" + Integer.toHexString(PATH.hashCode() & 0xffff) + "-0");

    doomed.close(); // dies without healing: its live-run marker goes with its session

    OrphanToxicCleaner cleaner =
        new OrphanToxicCleaner(new ToxicLedger(leader, znodes), new ZooKeeperLiveRuns(leader, znodes), faults(leader));
    await().atMost(Duration.ofSeconds(15)).until(() -> !cleaner.clean().isEmpty());

    assertThat(answers(Duration.ofSeconds(2))).isTrue();
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();
  }

  @Test
  void latencyOnThePacketFilterPathIsRefusedAndInjectsNothing() throws Exception {
    assertThatThrownBy(() -> faults(leader).inject("carrier-udp-3", 1, PATH,
            List.of(BLACKHOLE, new Fault.Latency(Duration.ofMillis(300), null, null, null))))
        .isInstanceOfSatisfying(FaultException.class, e -> assertThat(e.failure()).isEqualTo(FaultException.Failure.PERMANENT))
        .hasMessageContaining("drill run carrier-udp-3: faults[1] 'latency' on packet-filter path us-east-carrier (UDP port "
            + edge.port() + ") is not possible")
        .hasMessageContaining(namespace.netemAvailable() ? "does not drive yet" : "which this host's kernel lacks");

    assertThat(answers(Duration.ofSeconds(2))).isTrue();
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();
    assertThat(new ZooKeeperLiveRuns(leader, znodes).isLive("carrier-udp-3")).isFalse();
  }

  @Test
  void otherPathsStillGoToToxiproxy() throws Exception {
    assertThatThrownBy(() -> faults(leader).inject("llm-4", 1, "us-east-llm", List.of(BLACKHOLE)))
        .hasMessageContaining("no Toxiproxy proxy 'us-east-llm'");
    assertThat(answers(Duration.ofSeconds(2))).isTrue();
  }
}
