package dev.dialtone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.agent.testing.TestReplica;
import dev.dialtone.proto.v1.HealthReport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reporter against real gRPC replicas on loopback. */
class HealthReporterIT {
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2);
  private final AtomicLong sequence = new AtomicLong();
  private final MetricRegistry metrics = new MetricRegistry();

  @AfterEach
  void tearDown() {
    timer.shutdownNow();
  }

  private HealthReporter reporter(TestReplica... replicas) {
    return new HealthReporter(
        "test",
        java.util.Arrays.stream(replicas).map(TestReplica::target).toList(),
        new PlaintextChannelFactory(Duration.ofSeconds(10), Duration.ofSeconds(2)),
        timer,
        new dev.dialtone.config.Backoff(Duration.ofMillis(50), Duration.ofMillis(400)),
        new java.util.SplittableRandom(5),
        metrics);
  }

  private HealthReport next(String padding) {
    return HealthReport.newBuilder().setRegion("us-east").setIncarnation(42).setSequence(sequence.incrementAndGet())
        .setAgentId(padding).build();
  }

  @Test
  void aKilledReplicaNeverDelaysTheOtherAndCatchesUpWithTheNewestStateWhenBack() throws Exception {
    try (TestReplica a = new TestReplica().start(); TestReplica b = new TestReplica().start();
        HealthReporter reporter = reporter(a, b)) {
      reporter.start(d -> {});
      var rounds = timer.scheduleAtFixedRate(() -> reporter.publish(next("")), 0, 50, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(5)).until(() -> a.received().size() >= 5 && b.received().size() >= 5);

      b.kill();
      int beforeKill = a.received().size();
      long killedAt = System.nanoTime();
      // 20 more rounds (1 s at 20 reports/s) while B is dead: A receives each on time.
      await().atMost(Duration.ofSeconds(3)).until(() -> a.received().size() >= beforeKill + 20);
      List<TestReplica.Received> whileDown = a.received().subList(beforeKill, beforeKill + 20);
      assertThat(Duration.ofNanos(whileDown.get(19).atNanos() - killedAt)).isLessThan(Duration.ofMillis(1500));
      long previous = killedAt;
      for (TestReplica.Received r : whileDown) {
        assertThat(Duration.ofNanos(r.atNanos() - previous)).isLessThan(Duration.ofMillis(250));
        previous = r.atNanos();
      }

      long publishedBeforeRestart = sequence.get();
      int beforeRestart = b.received().size();
      b.start();
      await().atMost(Duration.ofSeconds(3)).until(() -> b.received().size() > beforeRestart);
      // The first report after the restart is the newest state, not a backlog of old ones.
      assertThat(b.received().get(beforeRestart).report().getSequence()).isGreaterThanOrEqualTo(publishedBeforeRestart);
      await().atMost(Duration.ofSeconds(2)).until(() -> b.lastSequence() >= sequence.get() - 1);
      rounds.cancel(false);
      assertThat(metrics.counter(dev.dialtone.agent.metrics.AgentMetrics.RECONNECTS.name("test", b.target())).getCount()).isPositive();
    }
  }

  @Test
  void aReplicaThatStopsReadingGetsTheNewestReportNotABacklog() throws Exception {
    try (TestReplica fast = new TestReplica().start(); TestReplica slow = new TestReplica()) {
      slow.pauseReading();
      slow.start();
      try (HealthReporter reporter = reporter(fast, slow)) {
        reporter.start(d -> {});
        String padding = "x".repeat(4096);
        int total = 400;
        for (int i = 0; i < total; i++) {
          reporter.publish(next(padding));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fast.lastSequence() == total);

        slow.resumeReading();
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.lastSequence() == total);
        // Flow control held the slow stream back and newer reports replaced unsent ones.
        assertThat(slow.received().size()).isLessThan(total);
        assertThat(metrics.counter(dev.dialtone.agent.metrics.AgentMetrics.REPORTS_SUPERSEDED.name("test", slow.target())).getCount()).isPositive();
        List<Long> sequences = slow.received().stream().map(r -> r.report().getSequence()).toList();
        assertThat(sequences).isSorted();
      }
    }
  }
}
