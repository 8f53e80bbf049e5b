package dev.dialtone.controlplane.leadership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dialtone.actuation.FencedException;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
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

  CuratorFramework closeableClient() throws InterruptedException {
    CuratorFramework c = zk.peer().newClient();
    c.start();
    c.blockUntilConnected();
    closeables.add(c);
    return c;
  }
}
