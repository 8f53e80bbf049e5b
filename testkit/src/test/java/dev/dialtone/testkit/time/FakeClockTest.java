package dev.dialtone.testkit.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shared fake timeline: what runs when, at what time, and what cancel and shutdown leave behind. */
class FakeClockTest {
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  private final FakeClock clock = new FakeClock(T0);
  private final ScheduledExecutorService executor = clock.executor();
  private final List<String> ran = new ArrayList<>();

  private Runnable log(String name) {
    return () -> ran.add(name + "@" + Duration.between(T0, clock.instant()).toMillis());
  }

  @Test
  void timeMovesOnlyInAdvanceAndTheTickerFollowsIt() {
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.getZone()).isEqualTo(ZoneId.of("Z"));
    long start = clock.nanoTime();
    clock.advance(Duration.ofMillis(1500));
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(1500));
    assertThat(clock.nanoTime() - start).isEqualTo(Duration.ofMillis(1500).toNanos());
    assertThat(clock.withZone(ZoneId.of("Europe/Paris")).instant()).isEqualTo(T0.plusMillis(1500));
    assertThatThrownBy(() -> clock.advance(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PT-0.001S");
  }

  @Test
  void dueTasksRunInTimeOrderWithTheClockAtTheirDueTimeAndSameTimeTasksInSubmissionOrder() {
    executor.schedule(log("c"), 300, TimeUnit.MILLISECONDS);
    executor.schedule(log("a1"), 100, TimeUnit.MILLISECONDS);
    executor.schedule(log("a2"), 100, TimeUnit.MILLISECONDS);
    executor.schedule(log("late"), 1, TimeUnit.SECONDS);

    clock.advance(Duration.ofMillis(999));

    assertThat(ran).containsExactly("a1@100", "a2@100", "c@300");
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(999));
    assertThat(clock.pendingTasks()).isOne();
    clock.advance(Duration.ofMillis(1));
    assertThat(ran).endsWith("late@1000");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void tasksScheduledByTasksRunInTheSameAdvanceIfTheyFallDueBeforeItsEnd() {
    executor.schedule(() -> {
      log("first").run();
      executor.schedule(log("inside"), 50, TimeUnit.MILLISECONDS);
      executor.schedule(log("beyond"), 500, TimeUnit.MILLISECONDS);
      executor.execute(log("now"));
    }, 100, TimeUnit.MILLISECONDS);

    clock.advance(Duration.ofMillis(200));

    assertThat(ran).containsExactly("first@100", "now@100", "inside@150");
    assertThat(clock.pendingTasks()).isOne();
  }

  @Test
  void executeIsDueNowAndRunsOnlyWhenAsked() {
    executor.execute(log("x"));
    assertThat(ran).isEmpty();
    clock.runDue();
    assertThat(ran).containsExactly("x@0");
    assertThat(clock.instant()).isEqualTo(T0);
  }

  @Test
  void periodicTasksReArmUntilCancelled() {
    ScheduledFuture<?> rate = executor.scheduleAtFixedRate(log("r"), 0, 1, TimeUnit.SECONDS);
    ScheduledFuture<?> delay = executor.scheduleWithFixedDelay(log("d"), 500, 2000, TimeUnit.MILLISECONDS);

    clock.advance(Duration.ofMillis(2600));

    assertThat(ran).containsExactly("r@0", "d@500", "r@1000", "r@2000", "d@2500");
    assertThat(clock.pendingTasks()).isEqualTo(2);
    assertThat(rate.getDelay(TimeUnit.MILLISECONDS)).isEqualTo(400);
    assertThat(rate.cancel(false)).isTrue();
    assertThat(rate.cancel(false)).as("a second cancel changes nothing").isFalse();
    assertThat(rate.isCancelled()).isTrue();
    assertThat(clock.pendingTasks()).as("a cancelled task is no longer pending").isOne();

    clock.advance(Duration.ofSeconds(3));
    assertThat(ran).endsWith("d@2500", "d@4500");
    assertThat(delay.isDone()).isFalse();
  }

  @Test
  void aPeriodicTaskMayCancelItselfWhileRunning() {
    List<ScheduledFuture<?>> self = new ArrayList<>();
    self.add(executor.scheduleAtFixedRate(() -> {
      log("once").run();
      self.get(0).cancel(false);
    }, 0, 1, TimeUnit.SECONDS));

    clock.advance(Duration.ofSeconds(5));

    assertThat(ran).containsExactly("once@0");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aCallableHasItsResultOnceRunAndACancelledOneThrows() throws Exception {
    ScheduledFuture<String> answer = executor.schedule(() -> "42 at " + clock.instant(), 10, TimeUnit.SECONDS);
    ScheduledFuture<String> dropped = executor.schedule(() -> "never", 10, TimeUnit.SECONDS);
    assertThatThrownBy(answer::get).isInstanceOf(IllegalStateException.class).hasMessageContaining("advance");
    dropped.cancel(false);

    clock.advance(Duration.ofSeconds(10));

    assertThat(answer.isDone()).isTrue();
    assertThat(answer.get()).isEqualTo("42 at " + T0.plusSeconds(10));
    assertThatThrownBy(dropped::get).isInstanceOf(CancellationException.class);
  }

  @Test
  void aFailingTaskEndsAdvanceWithItsExceptionAndLaterTasksStillRunNextTime() {
    ScheduledFuture<?> failing = executor.schedule(() -> {
      throw new IllegalStateException("boom");
    }, 1, TimeUnit.SECONDS);
    executor.schedule(log("after"), 2, TimeUnit.SECONDS);

    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(5))).hasMessage("boom");
    assertThat(clock.instant()).as("stopped at the failing task").isEqualTo(T0.plusSeconds(1));
    assertThatThrownBy(failing::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("boom");

    clock.advance(Duration.ofSeconds(4));
    assertThat(ran).containsExactly("after@2000");
  }

  @Test
  void shutdownStopsPeriodicTasksLetsDelayedOnesRunAndRejectsNewOnes() {
    executor.scheduleAtFixedRate(log("tick"), 1, 1, TimeUnit.SECONDS);
    executor.schedule(log("delayed"), 3, TimeUnit.SECONDS);

    executor.shutdown();

    assertThat(executor.isShutdown()).isTrue();
    assertThat(executor.isTerminated()).isFalse();
    assertThatThrownBy(() -> executor.execute(log("new"))).isInstanceOf(RejectedExecutionException.class);
    clock.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly("delayed@3000");
    assertThat(executor.isTerminated()).isTrue();
  }

  @Test
  void shutdownNowHandsBackWhatWasPending() {
    executor.schedule(log("a"), 1, TimeUnit.SECONDS);
    executor.scheduleWithFixedDelay(log("b"), 1, 1, TimeUnit.SECONDS);

    assertThat(executor.shutdownNow()).hasSize(2);

    clock.advance(Duration.ofSeconds(5));
    assertThat(ran).isEmpty();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void aNegativeDelayIsDueNowAndANonPositivePeriodIsRefused() {
    executor.schedule(log("past"), -5, TimeUnit.SECONDS);
    clock.runDue();
    assertThat(ran).containsExactly("past@0");
    assertThatThrownBy(() -> executor.scheduleAtFixedRate(log("x"), 0, 0, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> executor.scheduleWithFixedDelay(log("x"), 0, -1, TimeUnit.SECONDS))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
