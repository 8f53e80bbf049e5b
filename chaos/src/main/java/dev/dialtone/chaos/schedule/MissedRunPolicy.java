package dev.dialtone.chaos.schedule;

import dev.dialtone.chaos.drill.DrillSchedule;
import java.time.Duration;

/** What to do with a scheduled time found already past (beyond the on-time grace) by a leader. */
public sealed interface MissedRunPolicy {
  /** Never run late. */
  record Skip() implements MissedRunPolicy {}

  /** Run the latest missed time once if it is at most {@code window} old. */
  record RunOnceIfWithin(Duration window) implements MissedRunPolicy {}

  /** The policy a drill file asks for. */
  static MissedRunPolicy of(DrillSchedule schedule) {
    return schedule.missedRun() == DrillSchedule.MissedRun.RUN_ONCE_IF_WITHIN
        ? new RunOnceIfWithin(schedule.missedRunWithin())
        : new Skip();
  }
}
