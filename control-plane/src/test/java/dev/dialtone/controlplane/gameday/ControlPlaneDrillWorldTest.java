package dev.dialtone.controlplane.gameday;

import static dev.dialtone.controlplane.gameday.Frames.T0;
import static dev.dialtone.controlplane.gameday.Frames.world;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.chaos.drill.DependencyKind;
import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillGuardrails;
import dev.dialtone.chaos.drill.DrillTarget;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.PreflightFacts;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.state.StateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ControlPlaneDrillWorldTest {
  static final DrillDefinition DRILL = new DrillDefinition("llm-timeout", "us-east", new DrillTarget(DependencyKind.LLM, "llm"),
      List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)), Duration.ofSeconds(30), null,
      new DrillGuardrails(true, true, true, true, true, Duration.ofMinutes(3)), null);

  /** A call generator's log, as the lab shares one between its replicas. */
  static final class CallLog implements ExtraDrillEvents {
    final List<TimelineEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public List<TimelineEvent> since(Instant after) {
      return events.stream().filter(e -> e.at().isAfter(after)).toList();
    }
  }

  WorldFrame frame = world().build();
  boolean stateDown;
  final WorldFrames frames = now -> {
    if (stateDown) {
      throw new StateException.Unavailable("ZooKeeper unreachable", null);
    }
    return frame;
  };
  final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  final CallLog calls = new CallLog();

  @Test
  void nothingIsObservedBeforeADrillStarts() {
    ControlPlaneDrillWorld w = new ControlPlaneDrillWorld(frames, Set.of(calls), clock);
    calls.events.add(new TimelineEvent(T0.plusSeconds(1), EventKind.LAB_CALL_FAILED, "call 1"));
    assertThat(w.poll()).isEmpty();
  }

  @Test
  void preflightGivesTheFactsAndPollMergesStateReadBacksAndExtrasInTimeOrder() {
    ControlPlaneDrillWorld w = new ControlPlaneDrillWorld(frames, Set.of(calls), clock);
    assertThat(w.preflight(DRILL)).isEqualTo(new PreflightFacts(true, false, false, false));

    frame = world().at(T0.plusSeconds(2)).llm(RegionStatus.DOWN, T0.plusSeconds(2)).build();
    w.readBack(Frames.plan("e2-1", T0, "us-west"), "dns/rfc2136", T0.plusSeconds(3));
    calls.events.add(new TimelineEvent(T0.plusSeconds(1), EventKind.LAB_CALL_FAILED, "call 7: 503"));

    assertThat(w.poll()).extracting(TimelineEvent::kind)
        .containsExactly(EventKind.LAB_CALL_FAILED, EventKind.FIRST_FAILED_PROBE, EventKind.DNS_SHIFTED);
    assertThat(w.poll()).as("each event once").isEmpty();
  }

  @Test
  void extrasAreNotConsumedSoReplicasSharingASourceEachSeeEveryEvent() {
    ControlPlaneDrillWorld first = new ControlPlaneDrillWorld(frames, Set.of(calls), clock);
    ControlPlaneDrillWorld second = new ControlPlaneDrillWorld(frames, Set.of(calls), clock);
    first.preflight(DRILL);
    second.preflight(DRILL);
    calls.events.add(new TimelineEvent(T0.minusSeconds(1), EventKind.LAB_CALL_FAILED, "before the drill"));
    calls.events.add(new TimelineEvent(T0.plusSeconds(1), EventKind.LAB_CALL_FAILED, "call 1"));

    assertThat(first.poll()).extracting(TimelineEvent::detail).containsExactly("call 1");
    assertThat(second.poll()).extracting(TimelineEvent::detail).containsExactly("call 1");
    calls.events.add(new TimelineEvent(T0.plusSeconds(2), EventKind.LAB_CALL_FAILED, "call 2"));
    assertThat(first.poll()).extracting(TimelineEvent::detail).containsExactly("call 2");
  }

  @Test
  void eachExtraSourceKeepsItsOwnWatermark() {
    CallLog slow = new CallLog();
    ControlPlaneDrillWorld w = new ControlPlaneDrillWorld(frames, Set.of(calls, slow), clock);
    w.preflight(DRILL);
    calls.events.add(new TimelineEvent(T0.plusSeconds(5), EventKind.LAB_CALL_FAILED, "fast source"));
    assertThat(w.poll()).hasSize(1);

    slow.events.add(new TimelineEvent(T0.plusSeconds(2), EventKind.LAB_CALL_FAILED, "slow source, older"));
    assertThat(w.poll()).extracting(TimelineEvent::detail).containsExactly("slow source, older");
  }

  @Test
  void anUnreadableStateSkipsOnlyTheStatePartOfAPoll() {
    ControlPlaneDrillWorld w = new ControlPlaneDrillWorld(frames, Set.of(calls), clock);
    w.preflight(DRILL);
    stateDown = true;
    calls.events.add(new TimelineEvent(T0.plusSeconds(1), EventKind.LAB_CALL_FAILED, "call 1"));

    assertThat(w.poll()).extracting(TimelineEvent::kind).containsExactly(EventKind.LAB_CALL_FAILED);
  }

  @Test
  void aPreflightWithoutStateFailsSoTheRunnerRefusesTheDrill() {
    stateDown = true;
    ControlPlaneDrillWorld w = new ControlPlaneDrillWorld(frames, Set.of(), clock);
    assertThatThrownBy(() -> w.preflight(DRILL)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ZooKeeper unreachable");
  }

  /** A handover store in memory, and a run's side of the handover that records what it was told. */
  static final class Handed implements dev.dialtone.chaos.run.Handover, dev.dialtone.chaos.store.Handovers {
    final List<String> told = new CopyOnWriteArrayList<>();
    final List<dev.dialtone.chaos.run.RunCheckpoint> stored = new CopyOnWriteArrayList<>();

    @Override
    public java.util.Optional<dev.dialtone.chaos.run.RunCheckpoint> handOver(String what, String replicaId, String planInFlight) {
      told.add("handOver " + what);
      return java.util.Optional.of(new dev.dialtone.chaos.run.RunCheckpoint("leader-kill", "run-1", 2, replicaId, T0, List.of(),
          T0, T0, T0, 1, List.of("us-east-llm"), List.of(), List.of(), List.of(), null, null, planInFlight));
    }

    @Override
    public void handedOver() {
      told.add("handedOver");
    }

    @Override
    public void notHandedOver(String why) {
      told.add("notHandedOver " + why);
    }

    @Override
    public void save(dev.dialtone.chaos.run.RunCheckpoint checkpoint) {
      stored.add(checkpoint);
    }

    @Override
    public List<dev.dialtone.chaos.run.RunCheckpoint> list() {
      return List.copyOf(stored);
    }

    @Override
    public void remove(String runId) {
      stored.removeIf(c -> c.runId().equals(runId));
    }
  }

  @Test
  void anInFlightStallFiresOnceWhenTheNextPlanIsAboutToActAndHoldsItsOtherSteps() throws Exception {
    Handed handed = new Handed();
    List<List<String>> commands = new CopyOnWriteArrayList<>();
    LeaderFaults faults = new LeaderFaults("cp-1", 4242, handed, command -> {
      commands.add(command);
      return new ProcessBuilder("true").start(); // stands in for the stall: over at once
    });
    ControlPlaneDrillWorld w = new ControlPlaneDrillWorld(frames, Set.of(), clock, faults);
    w.faultLeader(new dev.dialtone.chaos.drill.LeaderFault(dev.dialtone.chaos.drill.LeaderFault.Kind.STALL, true,
        Duration.ofSeconds(8)), handed);
    assertThat(commands).as("armed, not fired").isEmpty();

    dev.dialtone.controlplane.plan.Plan plan = Frames.plan("e2-1", T0, "us-west");
    w.aboutToAct(plan, plan.steps().get(0));
    w.aboutToAct(plan, plan.steps().get(1)); // the same plan's other step: held with it, not a second fault
    dev.dialtone.controlplane.plan.Plan later = Frames.plan("e2-2", T0, "us-east");
    w.aboutToAct(later, later.steps().get(0));

    assertThat(commands).containsExactly(List.of("sh", "-c", "kill -STOP \"$1\"; sleep \"$2\"; kill -CONT \"$1\"",
        "dialtone-stall", "4242", "8.000"));
    assertThat(handed.told).containsExactly(
        "handOver SIGSTOP for 8s of the leader cp-1 (pid 4242), plan e2-1 in flight (about to apply carrier/kamailio)",
        "handedOver");
    assertThat(handed.stored).singleElement().satisfies(c -> {
      assertThat(c.planInFlight()).isEqualTo("e2-1");
      assertThat(c.replicaId()).isEqualTo("cp-1");
    });
  }

  @Test
  void aFaultThatCannotBeStartedLeavesNoHandoverAndTellsTheRun() throws Exception {
    Handed handed = new Handed();
    LeaderFaults faults = new LeaderFaults("cp-1", 4242, handed, command -> {
      throw new java.io.IOException("kill: not found");
    });
    dev.dialtone.chaos.drill.LeaderFault kill =
        new dev.dialtone.chaos.drill.LeaderFault(dev.dialtone.chaos.drill.LeaderFault.Kind.KILL, false, null);

    assertThat(faults.fire(kill, handed, "", "")).isFalse();

    assertThat(handed.stored).as("the next leader must not resume a run still going here").isEmpty();
    assertThat(handed.told).last().asString().startsWith("notHandedOver could not run kill: kill: not found");
    assertThat(faults.command(kill)).containsExactly("kill", "-KILL", "4242");
  }
}
