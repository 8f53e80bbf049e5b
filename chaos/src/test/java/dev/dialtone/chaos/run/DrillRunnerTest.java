package dev.dialtone.chaos.run;

import static dev.dialtone.chaos.run.EventKind.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.chaos.drill.DrillDefinition;
import java.util.List;
import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.drill.DependencyKind;
import dev.dialtone.chaos.drill.DrillTarget;
import dev.dialtone.chaos.drill.DrillExpectations;
import dev.dialtone.chaos.drill.DrillGuardrails;
import dev.dialtone.chaos.testing.TestDrills;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DrillRunnerTest {
  private static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");

  private final FakeClock clock = new FakeClock(T0);
  private final ScriptedWorld world = new ScriptedWorld(clock);
  private final RecordingSwitch faults = new RecordingSwitch(clock);
  private final DrillDefinition drill = TestDrills.llmTimeout(); // 30 s, shift 10 s, back 60 s, max 3 min

  private DrillRun start(DrillDefinition definition, Clock runnerClock) {
    DrillRun run =
        new DrillRunner(RunnerConfig.DEFAULTS, faults, runnerClock, clock.executor()).start(definition, "run-1", 7, world);
    clock.runDue();
    return run;
  }

  private ScriptedWorld aGoodFailover() {
    return world
        .at(Duration.ofMillis(1200), FIRST_FAILED_PROBE)
        .at(Duration.ofMillis(2300), REGION_DOWN)
        .at(Duration.ofMillis(2400), DECISION)
        .at(Duration.ofMillis(2600), CARRIER_SHIFTED)
        .at(Duration.ofMillis(2700), DNS_SHIFTED)
        .at(Duration.ofSeconds(45), FAILED_BACK);
  }

  @Test
  void aDrillWhoseExpectationsHoldPassesAndHealsAtItsDuration() {
    aGoodFailover();
    DrillRun run = start(drill, clock);
    assertThat(run.state()).isEqualTo(DrillState.RUNNING);

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.PASSED);
    assertThat(faults.calls).containsExactly("inject run-1 us-east-llm 1 epoch 7", "heal run-1");
    assertThat(faults.healedAt).isEqualTo(T0.plusSeconds(30));
    assertThat(run.timeline())
        .extracting(TimelineEvent::kind)
        .containsExactly(
            PREFLIGHT_PASSED, FAULT_INJECTED, FIRST_FAILED_PROBE, REGION_DOWN, DECISION, CARRIER_SHIFTED, DNS_SHIFTED,
            HEALED, FAILED_BACK, FINISHED);
    assertThat(run.result()).isCompletedWithValueMatching(r -> r.breaches().isEmpty() && r.reason().equals("every expectation met"));
  }

  private DrillDefinition withSteps(dev.dialtone.chaos.drill.DrillStep... steps) {
    return new DrillDefinition(drill.name(), drill.region(), drill.target(), drill.faults(), drill.duration(),
        drill.expectations(), drill.guardrails(), null, List.of(steps));
  }

  @Test
  void aMultiStepDrillInjectsEachStepWhenItsConditionHoldsAndHealsThemLastFirst() {
    // Step 1: us-east's LLM; once traffic shifted, step 2: us-west's DB goes down too; 5 s later,
    // step 3: us-west's cache slows. At the drill's duration they are healed one at a time, 3, 2, 1.
    aGoodFailover();
    DrillRun run = start(withSteps(
        new dev.dialtone.chaos.drill.DrillStep("shifted", "us-west", new DrillTarget(DependencyKind.DB, "db"),
            List.of(new Fault.Down())),
        new dev.dialtone.chaos.drill.DrillStep("5s", "us-west", new DrillTarget(DependencyKind.CACHE, "cache"),
            List.of(new Fault.Latency(Duration.ofMillis(500), Duration.ZERO, Direction.DOWNSTREAM, 1.0)))), clock);

    clock.advance(Duration.ofSeconds(2));
    assertThat(faults.calls).as("not shifted yet").containsExactly("inject run-1 us-east-llm 1 epoch 7");
    clock.advance(Duration.ofSeconds(1));
    assertThat(faults.calls).containsExactly("inject run-1 us-east-llm 1 epoch 7", "inject run-1.step2 us-west-db 1 epoch 7");
    clock.advance(Duration.ofSeconds(4));
    assertThat(faults.calls).hasSize(2);
    clock.advance(Duration.ofSeconds(2));
    assertThat(faults.calls).containsExactly("inject run-1 us-east-llm 1 epoch 7", "inject run-1.step2 us-west-db 1 epoch 7",
        "inject run-1.step3 us-west-cache 1 epoch 7");
    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.PASSED);
    assertThat(faults.calls.subList(3, faults.calls.size())).containsExactly("heal run-1.step3", "heal run-1.step2", "heal run-1");
    assertThat(faults.healedAt).isEqualTo(T0.plusSeconds(30));
    assertThat(run.timeline()).filteredOn(e -> e.kind() == HEALED).extracting(TimelineEvent::detail).containsExactly(
        "faults removed last first: step 3 on us-west-cache, step 2 on us-west-db, step 1 on us-east-llm");
    assertThat(run.timeline()).filteredOn(e -> e.kind() == FAULT_INJECTED).extracting(TimelineEvent::detail)
        .containsExactly("timeout on us-east-llm", "step 2 (after shifted): down on us-west-db",
            "step 3 (after 5s): latency on us-west-cache");
  }

  @Test
  void aLeaderKilledMidFailoverHandsTheRunOverAndTheNextLeaderFinishesAndReportsIt() {
    // The LLM goes down; the failover plan is about to act when the leader kills itself. The next
    // leader resumes from the checkpoint: it adopts the faults, sees the plan resumed and traffic
    // shifted, heals at the drill's duration (counted from the first injection), and passes.
    world.at(Duration.ofMillis(1200), FIRST_FAILED_PROBE).at(Duration.ofMillis(2300), REGION_DOWN)
        .at(Duration.ofMillis(2400), DECISION);
    DrillRun first = start(withSteps(new dev.dialtone.chaos.drill.DrillStep("in_flight", null, null, null, "kill", null)), clock);
    clock.advance(Duration.ofMillis(2500));
    assertThat(world.leaderFault).as("armed at once: it waits for the plan").isEqualTo(
        new dev.dialtone.chaos.drill.LeaderFault(dev.dialtone.chaos.drill.LeaderFault.Kind.KILL, true, null));

    RunCheckpoint checkpoint = world.handover.handOver("kill -9 of the leader cp-1 (pid 42)", "cp-1", "e7-3").orElseThrow();
    world.handover.handedOver();
    clock.advance(Duration.ofSeconds(1));

    assertThat(first.state()).isEqualTo(DrillState.HANDED_OVER);
    assertThat(first.result()).isCompletedWithValueMatching(r -> r.state() == DrillState.HANDED_OVER);
    assertThat(faults.calls).as("nothing healed by the dying leader").containsExactly("inject run-1 us-east-llm 1 epoch 7");
    assertThat(checkpoint.unhealed()).containsExactly(new RunCheckpoint.Unhealed("run-1", 1, "us-east-llm"));
    assertThat(checkpoint.nextStep()).isEqualTo(1);
    assertThat(checkpoint.timeline()).extracting(TimelineEvent::kind).endsWith(DECISION, LEADER_LOST);
    assertThat(world.handover.handOver("again", "cp-1", "")).as("one handover per run").isEmpty();

    clock.advance(Duration.ofSeconds(3)); // the dead leader's session expires; the next one is elected
    ScriptedWorld next = new ScriptedWorld(clock).at(Duration.ofMillis(500), PLAN_RESUMED)
        .at(Duration.ofMillis(700), CARRIER_SHIFTED).at(Duration.ofMillis(800), DNS_SHIFTED).at(Duration.ofSeconds(40), FAILED_BACK);
    RecordingSwitch nextFaults = new RecordingSwitch(clock);
    DrillRun resumed = new DrillRunner(RunnerConfig.DEFAULTS, nextFaults, clock, clock.executor()).resume(
        first.result().join().drill(), checkpoint, 8, next, clock.instant(), "cp-2 leads at epoch 8", e -> {});
    clock.runDue();
    assertThat(next.resumedWithPlan).isEqualTo("e7-3");
    clock.advance(Duration.ofMinutes(2));

    assertThat(resumed.state()).isEqualTo(DrillState.PASSED);
    assertThat(nextFaults.calls).containsExactly("adopt run-1", "heal run-1");
    assertThat(nextFaults.healedAt).isEqualTo(T0.plusSeconds(30));
    DrillResult r = resumed.result().join();
    assertThat(r.runId()).isEqualTo("run-1");
    assertThat(r.epoch()).isEqualTo(8);
    assertThat(r.timeline()).extracting(TimelineEvent::kind).containsSubsequence(PREFLIGHT_PASSED, FAULT_INJECTED,
        FIRST_FAILED_PROBE, LEADER_LOST, LEADER_ELECTED, PLAN_RESUMED, CARRIER_SHIFTED, DNS_SHIFTED, HEALED, FINISHED);
    dev.dialtone.chaos.report.DrillReport report = dev.dialtone.chaos.report.DrillReport.from(r);
    assertThat(report.takeover()).extracting(TimelineEvent::kind)
        .containsExactly(LEADER_LOST, LEADER_ELECTED, PLAN_RESUMED, CARRIER_SHIFTED, DNS_SHIFTED);
    assertThat(report.dependencyTimeline()).extracting(TimelineEvent::kind).doesNotContain(LEADER_LOST, LEADER_ELECTED)
        .contains(FIRST_FAILED_PROBE, CARRIER_SHIFTED);
    assertThat(report.figures()).filteredOn(f -> f.name().equals("leader lost → new leader elected"))
        .extracting(dev.dialtone.chaos.report.Figure::measured).containsExactly("4.000s");
    assertThat(dev.dialtone.chaos.report.MarkdownReport.render(report)).contains("## Dependency timeline",
        "## Control-plane timeline (takeover)");
  }

  @Test
  void aControlPlaneStepThatCannotBeDoneAbortsTheRunWhichHeals() {
    aGoodFailover();
    DrillRun run = start(withSteps(new dev.dialtone.chaos.drill.DrillStep("2s", null, null, null, "stall",
        Duration.ofSeconds(8))), clock);
    clock.advance(Duration.ofSeconds(3));
    assertThat(world.leaderFault.kind()).isEqualTo(dev.dialtone.chaos.drill.LeaderFault.Kind.STALL);
    world.handover.handOver("SIGSTOP for 8s of the leader cp-1", "cp-1", "").orElseThrow();

    world.handover.notHandedOver("the handover was not stored: ZooKeeper is away");
    clock.advance(Duration.ofSeconds(2));

    assertThat(run.state()).isEqualTo(DrillState.ABORTED);
    assertThat(faults.calls).containsExactly("inject run-1 us-east-llm 1 epoch 7", "heal run-1");
    assertThat(run.timeline()).extracting(TimelineEvent::detail)
        .anyMatch(d -> d.contains("ZooKeeper is away"));
  }

  @Test
  void aStepWhoseHealFailsIsRetriedBeforeTheStepsUnderIt() {
    aGoodFailover();
    DrillRun run = start(withSteps(new dev.dialtone.chaos.drill.DrillStep("shifted", "us-west",
        new DrillTarget(DependencyKind.DB, "db"), List.of(new Fault.Down()))), clock);
    clock.advance(Duration.ofSeconds(29));
    faults.healFailures = 1;

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.PASSED);
    assertThat(faults.calls.subList(2, faults.calls.size()))
        .containsExactly("heal failed run-1.step2", "heal run-1.step2", "heal run-1");
  }

  @Test
  void aStepWhoseConditionNeverHoldsIsABreach() {
    world.at(Duration.ofMillis(1200), FIRST_FAILED_PROBE).at(Duration.ofSeconds(45), FAILED_BACK);
    DrillDefinition lenient = TestDrills.withExpectations(drill, new DrillExpectations(null, Duration.ofSeconds(60), true, true));
    DrillRun run = start(new DrillDefinition(lenient.name(), lenient.region(), lenient.target(), lenient.faults(),
        lenient.duration(), lenient.expectations(), lenient.guardrails(), null, List.of(new dev.dialtone.chaos.drill.DrillStep(
            "shifted", "us-west", new DrillTarget(DependencyKind.DB, "db"), List.of(new Fault.Down())))), clock);

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.FAILED);
    assertThat(run.result().join().breaches()).containsExactly(
        "step 2 (after shifted) not reached within the drill's duration 30s");
    assertThat(faults.calls).containsExactly("inject run-1 us-east-llm 1 epoch 7", "heal run-1");
  }

  @Test
  void aBreachAbortsAndHealsAtOnce() {
    world.at(Duration.ofSeconds(5), OUTAGE_MODE_ENTERED);
    DrillRun run = start(drill, clock);

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.ABORTED);
    assertThat(faults.healedAt).isBetween(T0.plusSeconds(5), T0.plusMillis(5100));
    assertThat(run.result().join().reason()).isEqualTo("aborted: outage mode entered");
    assertThat(run.timeline()).extracting(TimelineEvent::kind).containsSubsequence(OUTAGE_MODE_ENTERED, BREACH, ABORTED, HEALED, FINISHED);
  }

  @Test
  void trafficNotShiftedInTimeIsABreach() {
    world.at(Duration.ofSeconds(1), FIRST_FAILED_PROBE).at(Duration.ofSeconds(4), CARRIER_SHIFTED);
    DrillRun run = start(drill, clock);

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.result().join().reason()).isEqualTo("aborted: traffic not shifted within 10s");
    assertThat(faults.healedAt).isBetween(T0.plusSeconds(10), T0.plusMillis(10_100));
  }

  @Test
  void withoutAbortOnBreachTheDrillRunsItsCourseAndFails() {
    DrillDefinition lenient = TestDrills.withGuardrails(drill, new DrillGuardrails(true, true, true, true, false, Duration.ofMinutes(3)));
    aGoodFailover().at(Duration.ofSeconds(3), LAB_CALL_FAILED);
    DrillRun run = start(lenient, clock);

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.FAILED);
    assertThat(run.result().join().breaches()).containsExactly("a lab call failed: lab_call_failed");
    assertThat(faults.healedAt).isEqualTo(T0.plusSeconds(30));
  }

  @Test
  void aRefusedPreflightNeverInjects() {
    world.facts = new PreflightFacts(false, true, true, false);
    DrillRun run = start(drill, clock);

    clock.advance(Duration.ofMinutes(5));

    assertThat(run.state()).isEqualTo(DrillState.SKIPPED);
    assertThat(faults.calls).isEmpty();
    assertThat(run.result().join().reason())
        .isEqualTo("preflight refused: no healthy standby region; an actuation plan is in flight; the deployment is frozen");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void anIncidentElsewhereAtPreflightOrDuringTheDrillStopsIt() {
    world.facts = new PreflightFacts(true, false, false, true);
    assertThat(start(drill, clock).state()).isEqualTo(DrillState.SKIPPED);

    world.facts = new PreflightFacts(true, false, false, false);
    world.at(Duration.ofSeconds(2), INCIDENT_ELSEWHERE);
    DrillRun run = start(drill, clock);
    clock.advance(Duration.ofSeconds(3));

    assertThat(run.state()).isEqualTo(DrillState.ABORTED);
    assertThat(run.result().join().reason()).isEqualTo("aborted: real incident elsewhere: incident_elsewhere");
  }

  @Test
  void theMaximumDurationAlwaysHeals() {
    // The injection stalls (a hung Toxiproxy API) past the maximum duration.
    MutableOffsetClock stalling = new MutableOffsetClock(clock);
    faults.onInject = () -> stalling.offset = Duration.ofMinutes(3);
    DrillRun run = start(drill, stalling);

    clock.advance(Duration.ofMillis(100));

    assertThat(run.state()).isEqualTo(DrillState.ABORTED);
    assertThat(run.result().join().reason()).isEqualTo("aborted: maximum duration 3m reached");
    assertThat(faults.calls).containsExactly("inject run-1 us-east-llm 1 epoch 7", "heal run-1");
  }

  @Test
  void anOperatorAbortHealsOnTheNextStepWithoutWaitingForThePoll() {
    DrillRun run = start(drill, clock);
    clock.advance(Duration.ofSeconds(3));

    run.abort("operator asked");
    clock.runDue();

    assertThat(run.state()).isEqualTo(DrillState.ABORTED);
    assertThat(faults.healedAt).isEqualTo(T0.plusSeconds(3));
    assertThat(run.result().join().reason()).isEqualTo("aborted: operator asked");
  }

  @Test
  void aWorldThatFailsAbortsTheDrillAndHeals() {
    DrillRun run = start(drill, clock);
    world.pollFailure = new IllegalStateException("health view unavailable");

    clock.advance(Duration.ofSeconds(1));

    assertThat(run.state()).isEqualTo(DrillState.ABORTED);
    assertThat(faults.calls).contains("heal run-1");
    assertThat(run.result().join().reason()).startsWith("aborted: internal error java.lang.IllegalStateException: health view unavailable");
  }

  @Test
  void aHealThatKeepsFailingEndsTheRunFailedForTheOrphanCleaner() {
    aGoodFailover();
    faults.healFailures = 99;
    DrillRun run = start(drill, clock);

    clock.advance(Duration.ofMinutes(1));

    assertThat(run.state()).isEqualTo(DrillState.FAILED);
    assertThat(faults.calls).filteredOn(c -> c.startsWith("heal failed")).hasSize(5);
    assertThat(run.result().join().reason()).startsWith("heal failed 5 times; the orphan cleaner takes over");
  }

  @Test
  void aHealThatFailsOnceIsRetried() {
    aGoodFailover();
    faults.healFailures = 1;
    DrillRun run = start(drill, clock);

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.PASSED);
    assertThat(faults.healedAt).isEqualTo(T0.plusMillis(30_100));
  }

  @Test
  void noFailbackWithinTheWindowFailsTheDrill() {
    world
        .at(Duration.ofSeconds(2), CARRIER_SHIFTED)
        .at(Duration.ofSeconds(2), DNS_SHIFTED);
    DrillRun run = start(drill, clock);

    clock.advance(Duration.ofMinutes(3));

    assertThat(run.state()).isEqualTo(DrillState.FAILED);
    assertThat(run.result().join().reason()).isEqualTo("traffic not back within 1m after healing");
  }

  @Test
  void withoutTimeWindowsOnlyTheHealMatters() {
    DrillRun run =
        start(TestDrills.withExpectations(drill, new DrillExpectations(null, null, true, true)), clock);

    clock.advance(Duration.ofSeconds(31));

    assertThat(run.state()).isEqualTo(DrillState.PASSED);
  }

  @Test
  void aListenerSeesEveryTimelineEventAsItHappensAndCannotBreakTheRun() {
    aGoodFailover();
    java.util.List<TimelineEvent> seen = new java.util.ArrayList<>();
    DrillRun run =
        new DrillRunner(RunnerConfig.DEFAULTS, faults, clock, clock.executor())
            .start(drill, "run-1", 7, world, event -> {
              seen.add(event);
              throw new IllegalStateException("display crashed");
            });
    clock.runDue();
    assertThat(seen).extracting(TimelineEvent::kind).containsExactly(PREFLIGHT_PASSED, FAULT_INJECTED);

    clock.advance(Duration.ofMinutes(2));

    assertThat(run.state()).isEqualTo(DrillState.PASSED);
    assertThat(seen).isEqualTo(run.timeline());
  }

  @Test
  void configDefaultsAndValidation() {
    assertThat(RunnerConfig.DEFAULTS).isEqualTo(new RunnerConfig(Duration.ofMillis(100), 5));
    assertThatThrownBy(() -> new RunnerConfig(Duration.ZERO, 5)).hasMessage("runner.pollInterval must be positive, not PT0S");
    assertThatThrownBy(() -> new RunnerConfig(Duration.ofMillis(100), 0)).hasMessage("runner.healAttempts must be at least 1, not 0");
  }

  /** A clock running {@code offset} ahead of the fake clock: a runner that stalled. */
  private static final class MutableOffsetClock extends Clock {
    private final Clock base;
    Duration offset = Duration.ZERO;

    MutableOffsetClock(Clock base) {
      this.base = base;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return base.instant().plus(offset);
    }
  }
}
