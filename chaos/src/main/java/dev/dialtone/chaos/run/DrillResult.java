package dev.dialtone.chaos.run;

import dev.dialtone.chaos.drill.DrillDefinition;
import java.time.Instant;
import java.util.List;

/** A finished drill run: its final state with the reason, and its whole timeline. */
public record DrillResult(
    DrillDefinition drill,
    String runId,
    long epoch,
    DrillState state,
    String reason,
    Instant startedAt,
    Instant endedAt,
    List<TimelineEvent> timeline,
    List<String> breaches) {

  public DrillResult {
    timeline = List.copyOf(timeline);
    breaches = List.copyOf(breaches);
  }
}
