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
}
