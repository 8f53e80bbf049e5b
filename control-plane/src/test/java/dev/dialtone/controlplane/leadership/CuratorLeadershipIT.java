package dev.dialtone.controlplane.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.zookeeper.ZooKeeperEpochGuard;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateErrorPolicy;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.KillSession;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CuratorLeadershipIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  final List<AutoCloseable> closeables = new ArrayList<>();
  final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  CuratorLeadership replica(String deployment, String id) {
    CuratorFramework client = zk.peer().newClient();
    client.start();
    closeables.add(client);
    CuratorLeadership l = new CuratorLeadership(client, new DeploymentPaths(deployment), id, new LeadershipListener() {
      @Override public void onGained(long epoch) { events.add(id + " gained " + epoch); }
      @Override public void onLost() { events.add(id + " lost"); }
    });
    closeables.add(l);
    l.start();
    return l;
  }

  @Test
  void oneLeaderAtATimeEachTermANewEpochAndACleanCloseHandsOverAtOnce() throws Exception {
    List<CuratorLeadership> replicas = List.of(replica("lead-a", "r1"), replica("lead-a", "r2"), replica("lead-a", "r3"));
    await().atMost(Duration.ofSeconds(10)).until(() -> replicas.stream().filter(r -> r.term().isPresent()).count() == 1);
    CuratorLeadership first = replicas.stream().filter(r -> r.term().isPresent()).findFirst().orElseThrow();
    long firstEpoch = first.term().orElseThrow().epoch();
    assertThat(replicas).allSatisfy(r -> assertThat(r.leaderId()).isEqualTo(first.replicaId()));

    first.close();

    await().atMost(Duration.ofSeconds(2)).until(() -> replicas.stream().filter(r -> r != first && r.term().isPresent()).count() == 1);
    CuratorLeadership second = replicas.stream().filter(r -> r != first && r.term().isPresent()).findFirst().orElseThrow();
    long secondEpoch = second.term().orElseThrow().epoch();
    assertThat(secondEpoch).isEqualTo(firstEpoch + 1);
    assertThat(first.isLeaderAt(firstEpoch)).isFalse();
    assertThat(events).contains(first.replicaId() + " lost", second.replicaId() + " gained " + secondEpoch);

    ZooKeeperEpochGuard guard = new ZooKeeperEpochGuard(closeableClient(), new DeploymentPaths("lead-a").epoch());
    guard.check(secondEpoch);
    assertThatThrownBy(() -> guard.check(firstEpoch)).isInstanceOf(FencedException.class);
  }

  @Test
  void relinquishingEndsTheTermAndAnotherReplicaTakesANewerEpoch() throws Exception {
    List<CuratorLeadership> replicas = List.of(replica("lead-b", "r1"), replica("lead-b", "r2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> replicas.stream().anyMatch(r -> r.term().isPresent()));
    CuratorLeadership first = replicas.stream().filter(r -> r.term().isPresent()).findFirst().orElseThrow();
    long epoch = first.term().orElseThrow().epoch();

    first.relinquish();

    assertThat(first.isLeaderAt(epoch)).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> replicas.stream().anyMatch(r -> r.term().map(t -> t.epoch() > epoch).orElse(false)));
  }

  /** A replica on its own single server (so the test can stop it) with the given error policy. */
  CuratorLeadership ownServerReplica(TestingServer server, ConnectionStateErrorPolicy policy, List<ConnectionState> states,
      List<Long> gained, Duration sessionTimeout) {
    CuratorFramework client = CuratorFrameworkFactory.builder()
        .connectString(server.getConnectString())
        .sessionTimeoutMs((int) sessionTimeout.toMillis())
        .connectionTimeoutMs(2_000)
        .retryPolicy(new RetryOneTime(100))
        .connectionStateErrorPolicy(policy)
        .build();
    client.getConnectionStateListenable().addListener((c, s) -> states.add(s));
    client.start();
    closeables.add(client);
    CuratorLeadership l = new CuratorLeadership(client, new DeploymentPaths("own"), "solo", new LeadershipListener() {
      @Override public void onGained(long epoch) { gained.add(epoch); }
      @Override public void onLost() { events.add("solo lost"); }
    });
    closeables.add(l);
    return l;
  }

  @Test
  void anEpochTakenAcrossASuspensionStartsNoTermAtThatEpoch() throws Exception {
    try (TestingServer server = new TestingServer()) {
      List<Long> gained = new CopyOnWriteArrayList<>();
      CuratorLeadership l = ownServerReplica(server, new StandardConnectionStateErrorPolicy(), new CopyOnWriteArrayList<>(),
          gained, Duration.ofSeconds(30));
      AtomicBoolean suspendedOnce = new AtomicBoolean();
      l.afterEpochTaken(() -> {
        if (suspendedOnce.compareAndSet(false, true)) {
          try {
            server.stop();
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          // The SUSPENDED is handled (and the leadership thread interrupted) on Curator's event thread.
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
          }
        }
      });
      l.start();
      await().atMost(Duration.ofSeconds(10)).untilTrue(suspendedOnce);
      server.restart();

      await().atMost(Duration.ofSeconds(20)).until(() -> l.term().isPresent());
      long epoch = l.term().orElseThrow().epoch();
      assertThat(epoch).isEqualTo(2);
      assertThat(gained).as("epoch 1 was taken across SUSPENDED: it must never start a term").containsExactly(2L);
    }
  }

  @Test
  void stopOnSuspendedStopsActingOnSuspension() throws Exception {
    try (TestingServer server = new TestingServer()) {
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      CuratorLeadership l = ownServerReplica(server, new StandardConnectionStateErrorPolicy(), states,
          new CopyOnWriteArrayList<>(), Duration.ofSeconds(30));
      l.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> l.term().isPresent());
      long epoch = l.term().orElseThrow().epoch();

      server.stop();

      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.SUSPENDED));
      await().atMost(Duration.ofSeconds(2)).until(() -> !l.isLeaderAt(epoch) && events.contains("solo lost"));
      assertThat(states).doesNotContain(ConnectionState.LOST);
    }
  }

  @Test
  void stopOnLostKeepsActingWhileSuspendedStopsOnLostAndWarnsAtStart() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(CuratorLeadership.class);
    logs.start();
    logger.addAppender(logs);
    try (TestingServer server = new TestingServer()) {
      List<ConnectionState> states = new CopyOnWriteArrayList<>();
      CuratorLeadership l = ownServerReplica(server, new SessionConnectionStateErrorPolicy(), states,
          new CopyOnWriteArrayList<>(), Duration.ofSeconds(6));
      l.start();
      assertThat(logs.list).anySatisfy(e -> {
        assertThat(e.getLevel()).isEqualTo(Level.WARN);
        assertThat(e.getFormattedMessage()).contains("stopOn is LOST", "session timeout", "epoch fence");
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> l.term().isPresent());
      long epoch = l.term().orElseThrow().epoch();

      server.stop();

      await().atMost(Duration.ofSeconds(5)).until(() -> states.contains(ConnectionState.SUSPENDED));
      // Suspended but not lost: the leader still acts (the trade the WARN names).
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> l.isLeaderAt(epoch));
      assertThat(states).doesNotContain(ConnectionState.LOST);
      await().atMost(Duration.ofSeconds(30)).until(() -> states.contains(ConnectionState.LOST));
      await().atMost(Duration.ofSeconds(2)).until(() -> !l.isLeaderAt(epoch) && events.contains("solo lost"));
    } finally {
      logger.detachAppender(logs);
    }
  }

  /** One replica's acting interval, from its onGained to its onLost, on one monotonic clock. */
  record Acting(String replica, long epoch, long startNanos, long stopNanos) {}

  @Test
  void noTwoLeadersActAtOnceAcrossRepeatedSessionLosses() throws Exception {
    List<Acting> intervals = new CopyOnWriteArrayList<>();
    java.util.Map<String, long[]> open = new java.util.concurrent.ConcurrentHashMap<>();
    List<CuratorLeadership> replicas = new ArrayList<>();
    java.util.Map<CuratorLeadership, CuratorFramework> clients = new java.util.HashMap<>();
    for (String id : List.of("r1", "r2", "r3")) {
      CuratorFramework client = zk.peer().newClient();
      client.start();
      closeables.add(client);
      CuratorLeadership l = new CuratorLeadership(client, new DeploymentPaths("lead-intervals"), id, new LeadershipListener() {
        @Override public void onGained(long epoch) { open.put(id, new long[] {epoch, System.nanoTime()}); }
        @Override public void onLost() {
          long[] o = open.remove(id);
          if (o != null) {
            intervals.add(new Acting(id, o[0], o[1], System.nanoTime()));
          }
        }
      });
      closeables.add(l);
      replicas.add(l);
      clients.put(l, client);
      l.start();
    }

    long lastEpoch = 0;
    for (int round = 0; round < 6; round++) {
      long after = lastEpoch;
      await().atMost(Duration.ofSeconds(30)).until(() -> replicas.stream()
          .anyMatch(r -> r.term().map(t -> t.epoch() > after).orElse(false)));
      CuratorLeadership leader = replicas.stream().filter(r -> r.term().map(t -> t.epoch() > after).orElse(false))
          .findFirst().orElseThrow();
      lastEpoch = leader.term().orElseThrow().epoch();
      ZooKeeper session = clients.get(leader).getZookeeperClient().getZooKeeper();
      // The session expires under the leader's client (Curator's KillSession): it hears LOST and
      // its ephemeral goes, then another replica takes the next epoch.
      KillSession.kill(session);
    }
    long finalEpoch = lastEpoch;
    await().atMost(Duration.ofSeconds(30)).until(() -> intervals.stream().filter(a -> a.epoch() >= finalEpoch).count() == 1);

    await().atMost(Duration.ofSeconds(30)).until(() -> replicas.stream()
        .anyMatch(r -> r.term().map(t -> t.epoch() > finalEpoch).orElse(false)) && !open.isEmpty());
    // The leader still acting counts too, up to forever.
    open.forEach((id, o) -> intervals.add(new Acting(id, o[0], o[1], Long.MAX_VALUE)));
    List<Acting> sorted = intervals.stream().sorted(java.util.Comparator.comparingLong(Acting::startNanos)).toList();
    assertThat(sorted).hasSizeGreaterThanOrEqualTo(7);
    for (int i = 1; i < sorted.size(); i++) {
      Acting before = sorted.get(i - 1);
      Acting next = sorted.get(i);
      assertThat(next.startNanos())
          .as("%s (epoch %d) started acting before %s (epoch %d) stopped", next.replica(), next.epoch(),
              before.replica(), before.epoch())
          .isGreaterThanOrEqualTo(before.stopNanos());
      assertThat(next.epoch()).isGreaterThan(before.epoch());
    }
  }

  CuratorFramework closeableClient() throws InterruptedException {
    CuratorFramework c = zk.peer().newClient();
    c.start();
    c.blockUntilConnected();
    closeables.add(c);
    return c;
  }
}
