package dev.dialtone.chaos.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillSchedule;
import dev.dialtone.chaos.testing.TestDrills;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.time.FakeClock;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperDrillClaimsIT extends DrillClaimsContract {
  @RegisterExtension static final PeerExtension<ZooKeeperEnsemble> zookeeper = PeerExtension.of(ZooKeeperEnsemble::new);

  private static final AtomicInteger deployments = new AtomicInteger();
  private static CuratorFramework replicaA;
  private static CuratorFramework replicaB;

  @BeforeAll
  static void connect() throws InterruptedException {
    replicaA = zookeeper.peer().newClient();
    replicaB = zookeeper.peer().newClient();
    replicaA.start();
    replicaB.start();
    replicaA.blockUntilConnected();
    replicaB.blockUntilConnected();
  }

  @AfterAll
  static void disconnect() {
    replicaA.close();
    replicaB.close();
  }

  @Override
  protected DrillClaims claims() {
    return new ZooKeeperDrillClaims(replicaA, new DrillZnodes("claims-" + deployments.incrementAndGet()), Clock.systemUTC(), "a");
  }

  @Test
  void onlyTheNewestClaimsOfADrillAreKeptAndTheLatestIsNeverClaimedTwice() throws Exception {
    DrillZnodes znodes = new DrillZnodes("prune-" + deployments.incrementAndGet());
    ZooKeeperDrillClaims claims = new ZooKeeperDrillClaims(replicaA, znodes, Clock.systemUTC(), "a");
    Instant first = Instant.parse("2026-01-01T10:00:00Z");
    for (int month = 0; month < ZooKeeperDrillClaims.KEEP + 5; month++) {
      assertThat(claims.claim("monthly", first.plus(java.time.Duration.ofDays(30L * month)), 1)).isTrue();
    }
    List<String> kept = replicaA.getChildren().forPath(znodes.claims("monthly"));
    assertThat(kept).hasSize(ZooKeeperDrillClaims.KEEP)
        .doesNotContain(Long.toString(first.toEpochMilli()))
        .contains(Long.toString(first.plus(java.time.Duration.ofDays(30L * (ZooKeeperDrillClaims.KEEP + 4))).toEpochMilli()));
    assertThat(claims.claim("monthly", first.plus(java.time.Duration.ofDays(30L * (ZooKeeperDrillClaims.KEEP + 4))), 2))
        .as("the latest time stays claimed").isFalse();
  }

  @Test
  void theRetentionSettingBoundsTheClaimsKept() throws Exception {
    DrillZnodes znodes = new DrillZnodes("retain-" + deployments.incrementAndGet());
    ZooKeeperDrillClaims claims = new ZooKeeperDrillClaims(replicaA, znodes, Clock.systemUTC(), "a", 3);
    Instant first = Instant.parse("2026-01-01T10:00:00Z");
    for (int day = 0; day < 7; day++) {
      claims.claim("daily", first.plus(java.time.Duration.ofDays(day)), 1);
    }
    assertThat(replicaA.getChildren().forPath(znodes.claims("daily"))).hasSize(3)
        .contains(Long.toString(first.plus(java.time.Duration.ofDays(6)).toEpochMilli()));
  }

  @Test
  void twoSchedulersThatBothBelieveTheyLeadRunEachDueDrillExactlyOnce() throws Exception {
    DrillZnodes znodes = new DrillZnodes("race-" + deployments.incrementAndGet());
    DrillDefinition everyMinute =
        TestDrills.scheduled("llm-timeout", new DrillSchedule("* * * * *", "UTC", DrillSchedule.MissedRun.SKIP, null));
    List<String> launched = Collections.synchronizedList(new ArrayList<>());
    LeadershipGate bothLead =
        new LeadershipGate() {
          @Override
          public boolean isLeader() {
            return true;
          }

          @Override
          public long epoch() {
            return 1;
          }
        };
    Instant start = Instant.parse("2026-11-02T10:00:30Z");
    FakeClock clockA = new FakeClock(start);
    FakeClock clockB = new FakeClock(start);
    SchedulerConfig config = new SchedulerConfig(Duration.ofSeconds(10), Duration.ofSeconds(30));
    DrillScheduler a =
        new DrillScheduler(config, () -> List.of(everyMinute), bothLead, new ZooKeeperDrillClaims(replicaA, znodes, clockA, "a"),
            (d, t, e) -> launched.add("a " + t), clockA, clockA.executor());
    DrillScheduler b =
        new DrillScheduler(config, () -> List.of(everyMinute), bothLead, new ZooKeeperDrillClaims(replicaB, znodes, clockB, "b"),
            (d, t, e) -> launched.add("b " + t), clockB, clockB.executor());

    // Twenty scheduled minutes, both replicas ticking at the same fake instants on two threads.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int minute = 1; minute <= 20; minute++) {
        Instant due = Instant.parse("2026-11-02T10:00:00Z").plus(Duration.ofMinutes(minute));
        CountDownLatch go = new CountDownLatch(1);
        Future<?> tickA = threads.submit(() -> { await(go); clockA.advance(Duration.between(clockA.instant(), due)); a.tick(); });
        Future<?> tickB = threads.submit(() -> { await(go); clockB.advance(Duration.between(clockB.instant(), due)); b.tick(); });
        go.countDown();
        tickA.get();
        tickB.get();
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(launched).hasSize(20);
    assertThat(launched.stream().map(l -> l.substring(2)).distinct()).hasSize(20);
    assertThat(replicaA.getChildren().forPath(znodes.claims("llm-timeout"))).as("the newest claims are kept")
        .hasSize(ZooKeeperDrillClaims.KEEP);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
