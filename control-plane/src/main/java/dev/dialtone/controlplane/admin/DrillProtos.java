package dev.dialtone.controlplane.admin;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.ReportStore;
import dev.dialtone.chaos.report.HtmlReport;
import dev.dialtone.chaos.report.JsonReport;
import dev.dialtone.chaos.report.MarkdownReport;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.store.DrillStore;
import dev.dialtone.chaos.store.StoredDrill;
import dev.dialtone.proto.v1.ApplyOutcome;
import dev.dialtone.proto.v1.DrillInfo;
import dev.dialtone.proto.v1.DrillRun;
import dev.dialtone.proto.v1.DrillRunState;
import dev.dialtone.proto.v1.GetDrillReportResponse;
import dev.dialtone.proto.v1.ReportFormat;
import java.time.Instant;
import java.util.Optional;

/** Maps game-day drills, runs and reports to the admin API's messages. */
final class DrillProtos {
  private DrillProtos() {}

  static DrillRunState state(DrillState s) {
    return switch (s) {
      case PREFLIGHT -> DrillRunState.DRILL_RUN_STATE_PREFLIGHT;
      case RUNNING -> DrillRunState.DRILL_RUN_STATE_RUNNING;
      case HEALING -> DrillRunState.DRILL_RUN_STATE_HEALING;
      case PASSED -> DrillRunState.DRILL_RUN_STATE_PASSED;
      case FAILED -> DrillRunState.DRILL_RUN_STATE_FAILED;
      case ABORTED -> DrillRunState.DRILL_RUN_STATE_ABORTED;
      case SKIPPED -> DrillRunState.DRILL_RUN_STATE_SKIPPED;
      case HANDED_OVER -> DrillRunState.DRILL_RUN_STATE_HANDED_OVER;
    };
  }

  /** A run as its report tells it; {@code ended_at} only once it ended. */
  static DrillRun run(DrillReport r) {
    DrillRun.Builder b = DrillRun.newBuilder().setRunId(r.runId()).setDrill(r.drill()).setState(state(r.state()))
        .setStartedAt(AdminProtos.timestamp(r.startedAt())).setReason(r.reason());
    if (r.state().isFinal() && r.endedAt() != null) {
      b.setEndedAt(AdminProtos.timestamp(r.endedAt()));
    }
    return b.build();
  }

  /** A stored run as the report store lists it (state by name; no end time in the summary). */
  static DrillRun stored(ReportStore.Summary s) {
    DrillRun.Builder b = DrillRun.newBuilder().setRunId(s.runId()).setDrill(s.drill())
        .setState(state(DrillState.valueOf(s.state())));
    if (s.startedAt() != null) {
      b.setStartedAt(AdminProtos.timestamp(s.startedAt()));
    }
    return b.build();
  }

  /** A run just started: its id and state, nothing to report yet. */
  static DrillRun started(String runId, String drill, DrillState state, Instant startedAt) {
    return DrillRun.newBuilder().setRunId(runId).setDrill(drill).setState(state(state))
        .setStartedAt(AdminProtos.timestamp(startedAt)).build();
  }

  static DrillInfo info(DrillDefinition d, Optional<StoredDrill> stored, Optional<Instant> next, Optional<DrillReport> last) {
    DrillInfo.Builder b = DrillInfo.newBuilder().setName(d.name());
    stored.ifPresent(s -> {
      b.setSource(s.source()).setAppliedBy(s.appliedBy());
      if (s.appliedAt() != null) {
        b.setAppliedAt(AdminProtos.timestamp(s.appliedAt()));
      }
    });
    if (d.schedule() != null) {
      b.setSchedule(d.schedule().cron() + " " + d.schedule().zone());
    }
    next.ifPresent(t -> b.setNextRunAt(AdminProtos.timestamp(t)));
    last.ifPresent(r -> b.setLastRun(run(r)));
    return b.build();
  }

  static ApplyOutcome outcome(DrillStore.Outcome o) {
    return switch (o) {
      case CREATED -> ApplyOutcome.APPLY_OUTCOME_CREATED;
      case UPDATED -> ApplyOutcome.APPLY_OUTCOME_UPDATED;
      case UNCHANGED -> ApplyOutcome.APPLY_OUTCOME_UNCHANGED;
    };
  }

  static GetDrillReportResponse report(DrillReport r, ReportFormat format) {
    GetDrillReportResponse.Builder b = GetDrillReportResponse.newBuilder().setRun(run(r));
    return switch (format) {
      case REPORT_FORMAT_MARKDOWN -> b.setBody(MarkdownReport.render(r)).setContentType("text/markdown").build();
      case REPORT_FORMAT_HTML -> b.setBody(HtmlReport.render(r)).setContentType("text/html").build();
      default -> b.setBody(JsonReport.render(r)).setContentType("application/json").build();
    };
  }
}
