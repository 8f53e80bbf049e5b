package dev.dialtone.chaos.report;

import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import java.time.Instant;

/** Time zero of a report's timeline: the fault injection, or the start if nothing was injected. */
final class TimelineOrigin {
  private TimelineOrigin() {}

  static Instant of(DrillReport report) {
    return report.timeline().stream()
        .filter(e -> e.kind() == EventKind.FAULT_INJECTED)
        .map(TimelineEvent::at)
        .findFirst()
        .orElse(report.startedAt());
  }
}
