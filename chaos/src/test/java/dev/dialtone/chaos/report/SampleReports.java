package dev.dialtone.chaos.report;

import static dev.dialtone.chaos.run.EventKind.*;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.run.DrillResult;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.chaos.testing.TestDrills;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Reports of realistic runs for the report tests, one with hostile text in every field it can reach. */
final class SampleReports {
  static final Instant T0 = Instant.parse("2026-11-02T10:00:00Z");
  static final String HOSTILE = "<script>alert(\"x\")</script> & 'quotes' | pipe *bold* ]]>";

  private SampleReports() {}

  /** The expected story in order. */
  static final List<EventKind> STORY =
      List.of(PREFLIGHT_PASSED, FAULT_INJECTED, FIRST_FAILED_PROBE, REGION_DOWN, DECISION, CARRIER_SHIFTED, DNS_SHIFTED, HEALED, FAILED_BACK, FINISHED);

  static DrillResult passed(String runId, Instant start) {
    DrillDefinition drill = TestDrills.llmTimeout();
    long[] offsets = {0, 10, 1210, 2310, 2410, 2610, 2710, 30_010, 45_000, 45_000};
    String[] details = {
      "standby healthy", "timeout on us-east-llm", "llm probe timed out after 1s", "us-east DOWN (2 failed rounds)",
      "fail over us-east -> us-west", "kamailio set 1: us-west first", "voice.example.com. A 198.51.100.20", "faults removed",
      "us-east active again", "PASSED: every expectation met"
    };
    List<TimelineEvent> timeline = new ArrayList<>();
    for (int i = 0; i < STORY.size(); i++) {
      timeline.add(new TimelineEvent(start.plusMillis(offsets[i]), STORY.get(i), details[i]));
    }
    return new DrillResult(drill, runId, 7, DrillState.PASSED, "every expectation met", start, start.plusSeconds(45), timeline, List.of());
  }

  static DrillResult hostile() {
    DrillDefinition base = TestDrills.llmTimeout();
    DrillDefinition drill =
        new DrillDefinition(HOSTILE, base.region(), base.target(), base.faults(), base.duration(), base.expectations(), base.guardrails(), null);
    List<TimelineEvent> timeline =
        List.of(
            new TimelineEvent(T0, PREFLIGHT_PASSED, HOSTILE),
            new TimelineEvent(T0.plusMillis(5), FAULT_INJECTED, HOSTILE),
            new TimelineEvent(T0.plusSeconds(3), OUTAGE_MODE_ENTERED, HOSTILE + "\n second line\u0007"),
            new TimelineEvent(T0.plusSeconds(3), BREACH, "outage mode entered"),
            new TimelineEvent(T0.plusSeconds(3), ABORTED, "aborted: " + HOSTILE),
            new TimelineEvent(T0.plusMillis(3050), HEALED, "faults removed"),
            new TimelineEvent(T0.plusMillis(3050), FINISHED, "ABORTED"));
    return new DrillResult(drill, "run-hostile", 8, DrillState.ABORTED, "aborted: " + HOSTILE, T0, T0.plusMillis(3050), timeline, List.of(HOSTILE));
  }
}
