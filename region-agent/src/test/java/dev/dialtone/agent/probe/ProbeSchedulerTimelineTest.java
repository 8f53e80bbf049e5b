package dev.dialtone.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.time.FakeClock;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduler on a fake timeline: deadlines, abandonment and hysteresis, without real time. */
class ProbeSchedulerTimelineTest {
  private static final Instant EPOCH = Instant.parse("2026-11-22T21:00:00Z");
  private final FakeClock time = new FakeClock(EPOCH);
  private final Deque<Runnable> attempts = new ArrayDeque<>();
  private final List<ProbeState> seen = new ArrayList<>();
  private final List<Boolean> changes = new ArrayList<>();

  private ProbeScheduler scheduler(Probe probe) {
    ProbeSpec spec = new ProbeSpec("db", DependencyKind.DEPENDENCY_KIND_DB, true, Duration.ofSeconds(1),
        Duration.ofMillis(400), Duration.ofMillis(200), 2, 2, null, "t");
    return new ProbeScheduler("test", List.of(new ProbeScheduler.ScheduledProbe(spec, probe)), time.executor(),
        attempts::add, time, time::nanoTime, (state, changed) -> {
          seen.add(state);
          changes.add(changed);
        });
  }

  @Test
  void anAttemptThatNeverReturnsIsDownAtItsDeadlineAndNoSecondOneStartsUntilItEnds() {
    try (ProbeScheduler s = scheduler(timeout -> ProbeResult.up())) {
      s.start();
      time.advance(Duration.ZERO);
      assertThat(attempts).hasSize(1);
      assertThat(seen).isEmpty();

      // The attempt never runs (a hung driver): the agent's deadline answers at 400 ms.
      time.advance(Duration.ofMillis(399));
      assertThat(seen).isEmpty();
      time.advance(Duration.ofMillis(1));
      ProbeState first = seen.get(0);
      assertThat(first.last().status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(first.last().cause()).isEqualTo(FailureCause.FAILURE_CAUSE_TIMEOUT);
      assertThat(first.last().latency()).isEqualTo(Duration.ofMillis(400));
      assertThat(first.last().observedAt()).isEqualTo(EPOCH.plusMillis(400));
      assertThat(first.verdict()).as("failAfter 2: one failure is not enough").isEqualTo(HealthStatus.HEALTH_STATUS_UNSPECIFIED);

      // Next round at 1 s: still hung, so DOWN again without a second attempt; now the verdict moves.
      time.advance(Duration.ofMillis(600));
      assertThat(attempts).hasSize(1);
      assertThat(seen.get(1).last().errorText()).startsWith("previous attempt still running");
      assertThat(seen.get(1).verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(changes).containsExactly(false, true);

      // The driver finally returns (its late UP is ignored: the deadline already answered).
      attempts.poll().run();
      assertThat(seen).hasSize(2);

      // Rounds at 2 s and 3 s run fresh attempts that answer at once; recoverAfter 2 brings it back.
      for (int round = 0; round < 2; round++) {
        time.advance(Duration.ofSeconds(1));
        assertThat(attempts).hasSize(1);
        attempts.poll().run();
      }
      assertThat(seen).hasSize(4);
      assertThat(seen.get(2).verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(seen.get(3).verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
      assertThat(seen.get(3).lastAvailableAt()).isEqualTo(EPOCH.plusSeconds(3));
      assertThat(s.snapshot().get(0).verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
    }
  }

  @Test
  void aFailureIsConfirmedByAFreshAttemptAtOnceNotAtTheNextRound() {
    try (ProbeScheduler s = scheduler(timeout -> ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "refused"))) {
      s.start();
      time.advance(Duration.ZERO);
      attempts.poll().run();
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_UNSPECIFIED);

      time.advance(Duration.ZERO);
      assertThat(attempts).as("the confirmation starts now, not at 1 s").hasSize(1);
      attempts.poll().run();
      assertThat(seen.get(1).verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(seen.get(1).last().observedAt()).isEqualTo(EPOCH);

      // Confirmed: no more extra attempts, the next one is the 1 s round.
      time.advance(Duration.ofMillis(999));
      assertThat(attempts).isEmpty();
      time.advance(Duration.ofMillis(1));
      assertThat(attempts).hasSize(1);
    }
  }

  @Test
  void aBlackholeIsConfirmedByAFreshAttemptAsSoonAsTheHungOneEnds() {
    try (ProbeScheduler s = scheduler(timeout -> {
      throw new SocketTimeoutException("read timed out");
    })) {
      s.start();
      time.advance(Duration.ZERO);
      Runnable stuck = attempts.poll();
      time.advance(Duration.ofMillis(400)); // the agent's deadline: failure 1; the attempt is still running
      assertThat(seen).hasSize(1);
      time.advance(Duration.ofMillis(10));
      assertThat(attempts).as("no second attempt while the first is running").isEmpty();

      stuck.run(); // the driver gives up at its own timeout
      time.advance(Duration.ZERO);
      assertThat(attempts).as("the confirmation starts as soon as the stuck attempt ends").hasSize(1);
      attempts.poll().run();
      ProbeState last = seen.get(seen.size() - 1);
      assertThat(last.verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(last.last().observedAt()).as("well before the next round at 1 s").isEqualTo(EPOCH.plusMillis(410));
    }
  }

  @Test
  void anAnswerBeforeTheDeadlineCancelsItAndSlowAnswersAreDegraded() {
    try (ProbeScheduler s = scheduler(timeout -> ProbeResult.up().withLatency(Duration.ofMillis(300)))) {
      s.start();
      time.advance(Duration.ZERO);
      attempts.poll().run();
      time.advance(Duration.ofMillis(500));
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).last().status()).isEqualTo(HealthStatus.HEALTH_STATUS_DEGRADED);
      assertThat(seen.get(0).last().cause()).isEqualTo(FailureCause.FAILURE_CAUSE_SLOW);
      assertThat(seen.get(0).last().errorText()).isEqualTo("latency 300 ms above 200 ms");
    }
  }
}
