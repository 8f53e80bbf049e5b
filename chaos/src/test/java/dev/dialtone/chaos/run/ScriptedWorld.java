package dev.dialtone.chaos.run;

import dev.dialtone.chaos.drill.DrillDefinition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A {@link DrillWorld} that plays a script: each event is released once the clock passes it. */
final class ScriptedWorld implements DrillWorld {
  private final Clock clock;
  private final Instant origin;
  private final List<TimelineEvent> pending = new ArrayList<>();
  PreflightFacts facts = new PreflightFacts(true, false, false, false);
  RuntimeException pollFailure;
  // A control-plane step: the fault asked for, the run's handover, and a resumed run's plan in flight.
  dev.dialtone.chaos.drill.LeaderFault leaderFault;
  Handover handover;
  String resumedWithPlan;

  ScriptedWorld(Clock clock) {
    this.clock = clock;
    this.origin = clock.instant();
  }

  /** Schedules an observation {@code after} the world's creation. */
  ScriptedWorld at(Duration after, EventKind kind) {
    pending.add(new TimelineEvent(origin.plus(after), kind, kind.name().toLowerCase(java.util.Locale.ROOT)));
    return this;
  }

  @Override
  public PreflightFacts preflight(DrillDefinition drill) {
    return facts;
  }

  @Override
  public void faultLeader(dev.dialtone.chaos.drill.LeaderFault fault, Handover handover) {
    this.leaderFault = fault;
    this.handover = handover;
  }

  @Override
  public void resume(DrillDefinition drill, String planInFlight) {
    resumedWithPlan = planInFlight;
  }

  @Override
  public List<TimelineEvent> poll() {
    if (pollFailure != null) {
      throw pollFailure;
    }
    Instant now = clock.instant();
    List<TimelineEvent> due = pending.stream().filter(e -> !e.at().isAfter(now)).toList();
    pending.removeAll(due);
    return due;
  }
}
