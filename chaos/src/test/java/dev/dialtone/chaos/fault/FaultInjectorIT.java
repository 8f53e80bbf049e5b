package dev.dialtone.chaos.fault;

import static dev.dialtone.chaos.testing.StartedClients.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.testing.RedisPath;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.redis.RedisServer;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import eu.rekawek.toxiproxy.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FaultInjectorIT {
  @RegisterExtension static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);
  @RegisterExtension static final PeerExtension<ZooKeeperEnsemble> zookeeper = PeerExtension.of(ZooKeeperEnsemble::new);
  @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);

  private static final AtomicInteger deployments = new AtomicInteger();

  private DrillZnodes znodes;
  private CuratorFramework leader;
  private Proxy proxy;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    znodes = new DrillZnodes("it-" + deployments.incrementAndGet());
    leader = started(zookeeper.peer().newClient());
    String name = "us-east-redis-" + deployments.get();
    proxy = toxiproxy.peer().proxy(name, "127.0.0.1:" + redis.peer().port());
    port = ToxiproxyServer.listenPort(proxy);
    assertThat(RedisPath.works(port)).as("the path works before any fault").isTrue();
  }

  @AfterEach
  void tearDown() throws Exception {
    leader.close();
    proxy.delete();
  }


  private FaultInjector injector(CuratorFramework client) {
    return new FaultInjector(
        toxiproxy.peer().client(), new ToxicLedger(client, znodes), new ZooKeeperLiveRuns(client, znodes), Clock.systemUTC());
  }

  @Test
  void aBlackholeBreaksThePathAndHealingRestoresItAndItsRecord() throws Exception {
    FaultInjector injector = injector(leader);
    injector.inject("run-1", 4, proxy.getName(), List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)));

    assertThat(RedisPath.works(port)).isFalse();
    assertThat(new ToxicLedger(leader, znodes).list())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.proxy()).isEqualTo(proxy.getName());
              assertThat(r.toxic()).isEqualTo("dialtone-run-1-" + Integer.toHexString(proxy.getName().hashCode() & 0xffff) + "-0");
              assertThat(r.runId()).isEqualTo("run-1");
              assertThat(r.epoch()).isEqualTo(4);
            });
    assertThat(proxy.toxics().getAll()).extracting(t -> t.getName()).containsExactly("dialtone-run-1-" + Integer.toHexString(proxy.getName().hashCode() & 0xffff) + "-0");

    injector.heal("run-1");

    assertThat(RedisPath.works(port)).isTrue();
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();
    assertThat(new ZooKeeperLiveRuns(leader, znodes).isLive("run-1")).isFalse();
  }

  @Test
  void downDisablesTheProxyAndEveryToxicKindInjectsAndHeals() throws Exception {
    FaultInjector injector = injector(leader);
    injector.inject(
        "run-2",
        1,
        proxy.getName(),
        List.of(
            new Fault.Latency(Duration.ofMillis(10), Duration.ofMillis(1), Direction.UPSTREAM, 0.5),
            new Fault.ResetPeer(Duration.ofMillis(100), Direction.DOWNSTREAM, 1.0),
            new Fault.Bandwidth(1000L, Direction.DOWNSTREAM, 1.0),
            new Fault.Slicer(64L, 8L, Duration.ofMillis(1), Direction.DOWNSTREAM, 1.0),
            new Fault.Down()));

    assertThat(RedisPath.works(port)).isFalse();
    assertThat(proxy.toxics().getAll()).hasSize(4);
    assertThat(toxiproxy.peer().client().getProxy(proxy.getName()).isEnabled()).isFalse();

    injector.heal("run-2");

    assertThat(proxy.toxics().getAll()).isEmpty();
    assertThat(RedisPath.works(port)).isTrue();
  }

  @Test
  void abortHealsWithinASecond() throws Exception {
    FaultInjector injector = injector(leader);
    injector.inject("run-3", 1, proxy.getName(), List.of(new Fault.ResetPeer(Duration.ZERO, Direction.DOWNSTREAM, 1.0)));
    assertThat(RedisPath.works(port)).isFalse();

    CompletableFuture<Void> abort =
        CompletableFuture.runAsync(
            () -> {
              try {
                injector.heal("run-3");
              } catch (FaultException e) {
                throw new IllegalStateException(e);
              }
            });

    await().atMost(Duration.ofSeconds(1)).until(() -> abort.isDone() && RedisPath.works(port));
    assertThat(abort).isCompleted();
  }

  @Test
  void aNewLeaderHealsTheToxicsOfALeaderThatDiedMidDrill() throws Exception {
    CuratorFramework doomed = started(zookeeper.peer().newClient());
    injector(doomed).inject("run-4", 7, proxy.getName(), List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)));
    assertThat(RedisPath.works(port)).isFalse();

    // The old leader dies without healing: its session (and its live-run marker) ends.
    doomed.close();

    OrphanToxicCleaner cleaner =
        new OrphanToxicCleaner(new ToxicLedger(leader, znodes), new ZooKeeperLiveRuns(leader, znodes), injector(leader));
    await().atMost(Duration.ofSeconds(15)).until(() -> !cleaner.clean().isEmpty());

    assertThat(RedisPath.works(port)).isTrue();
    assertThat(proxy.toxics().getAll()).isEmpty();
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();
  }

  @Test
  void theCleanerLeavesTheToxicsOfALiveRunAlone() throws Exception {
    injector(leader).inject("run-5", 1, proxy.getName(), List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)));
    OrphanToxicCleaner cleaner =
        new OrphanToxicCleaner(new ToxicLedger(leader, znodes), new ZooKeeperLiveRuns(leader, znodes), injector(leader));

    assertThat(cleaner.clean()).isEmpty();
    assertThat(RedisPath.works(port)).isFalse();

    injector(leader).heal("run-5");
    assertThat(RedisPath.works(port)).isTrue();
  }

  @Test
  void aStaleEpochInjectsNothing() throws Exception {
    leader.create().creatingParentsIfNeeded().forPath(znodes.epoch(), "9".getBytes(StandardCharsets.US_ASCII));

    assertThatThrownBy(
            () ->
                injector(leader)
                    .inject("run-6", 8, proxy.getName(), List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0))))
        .isInstanceOfSatisfying(FaultException.class, e -> assertThat(e.failure()).isEqualTo(FaultException.Failure.FENCED));

    assertThat(RedisPath.works(port)).isTrue();
    assertThat(proxy.toxics().getAll()).isEmpty();
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();

    injector(leader).inject("run-7", 9, proxy.getName(), List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)));
    assertThat(RedisPath.works(port)).isFalse();
    injector(leader).heal("run-7");
  }

  @Test
  void anUnknownProxyIsAPermanentFailure() {
    assertThatThrownBy(() -> injector(leader).inject("run-8", 1, "nowhere-llm", List.of(new Fault.Down())))
        .isInstanceOfSatisfying(FaultException.class, e -> assertThat(e.failure()).isEqualTo(FaultException.Failure.PERMANENT));
  }
}
