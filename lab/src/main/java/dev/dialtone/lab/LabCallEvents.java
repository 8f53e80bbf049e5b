package dev.dialtone.lab;

import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.controlplane.gameday.ExtraDrillEvents;
import java.time.Instant;
import java.util.List;

/**
 * Hands the lab's failed calls to every replica's drill world as {@code LAB_CALL_FAILED} events,
 * so a drill that drops a caller breaches {@code no_failed_lab_calls}. Empty until the call
 * trickle starts (after the first activation).
 */
final class LabCallEvents implements ExtraDrillEvents {
  private volatile LabCalls calls;

  void attach(LabCalls c) {
    this.calls = c;
  }

  @Override
  public List<TimelineEvent> since(Instant after) {
    LabCalls c = calls;
    if (c == null) {
      return List.of();
    }
    return c.failuresSince(after).stream()
        .map(t -> new TimelineEvent(t, EventKind.LAB_CALL_FAILED, "a lab call got no answer or a failure answer"))
        .toList();
  }
}
