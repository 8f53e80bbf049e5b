package dev.dialtone.chaos.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillSchedule;
import dev.dialtone.chaos.drill.DrillSchedule.MissedRun;
import dev.dialtone.chaos.testing.TestDrills;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DrillSchedulerTest {
  private static final Instant NINE_59 = Instant.parse("2026-11-02T09:59:00Z");
  private static final Instant TEN = Instant.parse("2026-11-02T10:00:00Z");

  private final FakeClock clock = new FakeClock(NINE_59);
  private final InMemoryDrillClaims claims = new InMemoryDrillClaims();
  private final List<String> launched = new ArrayList<>();

  /** A gate the test flips; epoch 5 while leading. */
  private static final class Gate implements LeadershipGate {
    final AtomicBoolean leader = new AtomicBoolean(true);

    @Override
    public boolean isLeader() {
      return leader.get();
    }

    @Override
    public long epoch() {
      return 5;
    }
  }

  /** Minute ticks keep days of fake time cheap; 2 min of grace. */
  private static final SchedulerConfig CONFIG = new SchedulerConfig(Duration.ofMinutes(1), Duration.ofMinutes(2));

  private DrillScheduler scheduler(LeadershipGate gate, DrillDefinition... drills) {
    DrillScheduler scheduler =
        new DrillScheduler(
            CONFIG,
            () -> List.of(drills),
            gate,
            claims,
            (drill, time, epoch) -> launched.add(drill.name() + "@" + time + "#" + epoch),
            clock,
            clock.executor());
    scheduler.start();
    return scheduler;
  }

  private static DrillDefinition daily(MissedRun missed, Duration within) {
    return TestDrills.scheduled("llm-timeout", new DrillSchedule("0 10 * * *", "UTC", missed, within));
  }

  @Test
  void aLeaderRunsADueDrillOnceAtItsTime() {
    scheduler(new Gate(), daily(MissedRun.SKIP, null));

    clock.advance(Duration.ofSeconds(59));
    assertThat(launched).isEmpty();
    clock.advance(Duration.ofMinutes(5));

    assertThat(launched).containsExactly("llm-timeout@" + TEN + "#5");
  }

  @Test
  void drillsAppliedOrDeletedWhileItRunsCountFromTheNextTick() {
    java.util.concurrent.atomic.AtomicReference<List<DrillDefinition>> set = new java.util.concurrent.atomic.AtomicReference<>(List.of());
    new DrillScheduler(CONFIG, set::get, new Gate(), claims,
        (drill, time, epoch) -> launched.add(drill.name() + "@" + time), clock, clock.executor()).start();

    set.set(List.of(daily(MissedRun.SKIP, null))); // applied at 09:59
    clock.advance(Duration.ofMinutes(2));
    set.set(List.of()); // deleted before the next day
    clock.advance(Duration.ofDays(1));

    assertThat(launched).containsExactly("llm-timeout@" + TEN);
  }

  @Test
  void itRunsAgainAtTheNextScheduledTime() {
    scheduler(new Gate(), daily(MissedRun.SKIP, null));

    clock.advance(Duration.ofDays(2));

    assertThat(launched).containsExactly("llm-timeout@" + TEN + "#5", "llm-timeout@" + TEN.plus(Duration.ofDays(1)) + "#5");
  }

  @Test
  void aReplicaThatDoesNotLeadRunsNothing() {
    Gate gate = new Gate();
    gate.leader.set(false);
    scheduler(gate, daily(MissedRun.RUN_ONCE_IF_WITHIN, Duration.ofHours(2)));

    clock.advance(Duration.ofMinutes(30));

    assertThat(launched).isEmpty();
  }

  @Test
  void twoReplicasThatBothBelieveTheyLeadRunADueDrillOnce() {
    scheduler(new Gate(), daily(MissedRun.SKIP, null));
    scheduler(new Gate(), daily(MissedRun.SKIP, null));

    clock.advance(Duration.ofMinutes(5));

    assertThat(launched).containsExactly("llm-timeout@" + TEN + "#5");
  }

  @Test
  void aNewLeaderWithinTheGraceRunsTheTimeTheOldOneDidNotReach() {
    Gate gate = new Gate();
    gate.leader.set(false);
    scheduler(gate, daily(MissedRun.SKIP, null));
    clock.advance(Duration.ofSeconds(60 + 20)); // 10:00:20, nobody led at 10:00

    gate.leader.set(true);
    clock.advance(Duration.ofMinutes(1)); // next tick: 10:01, 1 min late, inside the 2 min grace

    assertThat(launched).containsExactly("llm-timeout@" + TEN + "#5");
  }

  @Test
  void aNewLeaderDoesNotRerunWhatTheOldLeaderClaimed() {
    Gate old = new Gate();
    scheduler(old, daily(MissedRun.RUN_ONCE_IF_WITHIN, Duration.ofHours(2)));
    clock.advance(Duration.ofMinutes(2));
    old.leader.set(false);

    Gate successor = new Gate();
    scheduler(successor, daily(MissedRun.RUN_ONCE_IF_WITHIN, Duration.ofHours(2)));
    clock.advance(Duration.ofMinutes(10));

    assertThat(launched).containsExactly("llm-timeout@" + TEN + "#5");
  }

  @ParameterizedTest(name = "leader from {0}, missed_run {1} {2} -> {3}")
  @CsvSource({
    "10:20, SKIP, , ''",
    "11:30, RUN_ONCE_IF_WITHIN, PT2H, 10:00",
    "12:30, RUN_ONCE_IF_WITHIN, PT2H, ''",
  })
  void aMissedTimeFollowsTheDrillsPolicy(String leaderFrom, MissedRun missed, Duration within, String expected) {
    Gate gate = new Gate();
    gate.leader.set(false);
    scheduler(gate, daily(missed, within));
    clock.advance(Duration.between(NINE_59, Instant.parse("2026-11-02T" + leaderFrom + ":00Z")));

    gate.leader.set(true);
    clock.advance(Duration.ofMinutes(5));

    assertThat(launched)
        .containsExactlyElementsOf(expected.isEmpty() ? List.of() : List.of("llm-timeout@2026-11-02T" + expected + ":00Z#5"));
  }

  @Test
  void manyMissedTimesRunOnlyTheLatestOnce() {
    Gate gate = new Gate();
    gate.leader.set(false);
    DrillDefinition hourly =
        TestDrills.scheduled("hourly", new DrillSchedule("0 * * * *", "UTC", MissedRun.RUN_ONCE_IF_WITHIN, Duration.ofHours(2)));
    scheduler(gate, hourly);
    clock.advance(Duration.ofHours(3).plusMinutes(31)); // 13:30: 10:00..13:00 all missed

    gate.leader.set(true);
    clock.advance(Duration.ofMinutes(10));

    assertThat(launched).containsExactly("hourly@2026-11-02T13:00:00Z#5");
  }

  @Test
  void theCronIsReadInTheDrillsTimeZone() {
    DrillDefinition paris =
        TestDrills.scheduled("paris", new DrillSchedule("0 10 * * *", "Europe/Paris", MissedRun.SKIP, null));
    scheduler(new Gate(), paris);

    clock.advance(Duration.ofDays(1));

    // November: Paris is UTC+1, so 10:00 in Paris is 09:00 UTC (the next day, as we start at 09:59 UTC).
    assertThat(launched).containsExactly("paris@2026-11-03T09:00:00Z#5");
  }

  @Test
  void aBlockedDateSkipsThatDaysRunAndTheNextDayRuns() {
    DrillDefinition freeze = TestDrills.scheduled("llm-timeout", new DrillSchedule("0 10 * * *", "UTC", MissedRun.SKIP, null,
        List.of("2026-11-02"), null, null));
    scheduler(new Gate(), freeze);

    clock.advance(Duration.ofDays(1).plusMinutes(5));

    assertThat(launched).containsExactly("llm-timeout@" + TEN.plus(Duration.ofDays(1)) + "#5");
  }

  @Test
  void aBlockedWindowAndAllowedWindowsAreReadInTheDrillsTimeZone() {
    // 2026-11-02 is a Monday; 10:00 in Paris is 09:00 UTC. Mondays 09:30-12:00 (Paris) are blocked,
    // and the drill may only run on weekdays 09:00-17:00 (Paris): Tuesday to Friday run, the weekend does not.
    DrillDefinition office = TestDrills.scheduled("office", new DrillSchedule("0 10 * * *", "Europe/Paris", MissedRun.SKIP,
        null, null, List.of(new DrillSchedule.Window(List.of("MON"), "09:30", "12:00")),
        List.of(new DrillSchedule.Window(List.of("MON", "TUE", "WED", "THU", "FRI"), "09:00", "17:00"))));
    scheduler(new Gate(), office);

    clock.advance(Duration.ofDays(7));

    assertThat(launched).containsExactly("office@2026-11-03T09:00:00Z#5", "office@2026-11-04T09:00:00Z#5",
        "office@2026-11-05T09:00:00Z#5", "office@2026-11-06T09:00:00Z#5");
  }

  @Test
  void aMissedRunCaughtUpLateIsJudgedAtTheTimeItWouldStart() {
    // Scheduled at 10:00 (allowed until 10:30); a leader back at 10:45 may run the missed time, but
    // not then: 10:45 is outside the allowed window.
    DrillDefinition drill = TestDrills.scheduled("late", new DrillSchedule("0 10 * * *", "UTC", MissedRun.RUN_ONCE_IF_WITHIN,
        Duration.ofHours(2), null, null, List.of(new DrillSchedule.Window(List.of(), "09:00", "10:30"))));
    assertThat(DueRun.decide(Optional.of(TEN), null, TEN.plus(Duration.ofMinutes(45)), Duration.ofMinutes(2),
        MissedRunPolicy.of(drill.schedule()), drill.schedule()::blockedAt))
        .satisfies(d -> {
          assertThat(d.run()).isFalse();
          assertThat(d.scheduledTime()).hasValue(TEN);
          assertThat(d.reason()).isEqualTo("not run: 10:45 on MONDAY is outside every allowed window [every day 09:00-10:30] (UTC)");
        });
    assertThat(DueRun.decide(Optional.of(TEN), null, TEN.plus(Duration.ofMinutes(20)), Duration.ofMinutes(2),
        MissedRunPolicy.of(drill.schedule()), drill.schedule()::blockedAt).run()).isTrue();
  }

  @Test
  void aFailingClaimStoreIsRetriedAtTheNextTick() {
    List<Boolean> failures = new ArrayList<>(List.of(true, true));
    DrillClaims flaky =
        (drill, time, epoch) -> {
          if (!failures.isEmpty() && failures.remove(0)) {
            throw new DrillClaims.ClaimException("connection loss", null);
          }
          return claims.claim(drill, time, epoch);
        };
    new DrillScheduler(
            CONFIG,
            () -> List.of(daily(MissedRun.SKIP, null)),
            new Gate(),
            flaky,
            (drill, time, epoch) -> launched.add(drill.name() + "@" + time),
            clock,
            clock.executor())
        .start();

    clock.advance(Duration.ofMinutes(4));

    assertThat(launched).containsExactly("llm-timeout@" + TEN);
  }

  @Test
  void drillsWithoutAScheduleAreNeverLaunchedAndCloseStopsTicking() {
    DrillScheduler scheduler = scheduler(new Gate(), TestDrills.llmTimeout());
    clock.advance(Duration.ofDays(1));
    assertThat(launched).isEmpty();

    scheduler.close();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void dueRunExplainsItsDecision() {
    DueRun onTime = DueRun.decide(Optional.of(TEN), null, TEN.plusSeconds(3), Duration.ofSeconds(30), new MissedRunPolicy.Skip());
    DueRun skipped = DueRun.decide(Optional.of(TEN), null, TEN.plusSeconds(60), Duration.ofSeconds(30), new MissedRunPolicy.Skip());
    DueRun handled = DueRun.decide(Optional.of(TEN), TEN, TEN.plusSeconds(3), Duration.ofSeconds(30), new MissedRunPolicy.Skip());

    assertThat(onTime.run()).isTrue();
    assertThat(onTime.reason()).isEqualTo("on time (3000 ms late)");
    assertThat(skipped.run()).isFalse();
    assertThat(skipped.reason()).isEqualTo("missed by PT1M: skipped (missed_run: skip)");
    assertThat(handled.scheduledTime()).isEmpty();
  }

  @Test
  void configDefaultsAndValidation() {
    assertThat(SchedulerConfig.DEFAULTS).isEqualTo(new SchedulerConfig(Duration.ofSeconds(1), Duration.ofSeconds(30)));
    assertThatThrownBy(() -> new SchedulerConfig(Duration.ZERO, Duration.ofSeconds(30)))
        .hasMessage("scheduler.tick must be positive, not PT0S");
    assertThatThrownBy(() -> new SchedulerConfig(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .hasMessage("scheduler.onTimeGrace must be at least scheduler.tick (PT5S), not PT1S");
  }
}
