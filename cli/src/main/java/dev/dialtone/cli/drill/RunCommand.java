package dev.dialtone.cli.drill;

import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.JsonReport;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.cli.controlplane.ExtendableAdminVerb;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.DrillRun;
import dev.dialtone.proto.v1.DrillRunState;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.GetDrillReportResponse;
import dev.dialtone.proto.v1.ReportFormat;
import dev.dialtone.proto.v1.RunDrillRequest;
import dev.dialtone.proto.v1.RunDrillResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dialtone drill run NAME [--reason WHY] [--wait]}: starts a drill on the leader; with
 * {@code --wait}, follows its report until the run ends, printing each timeline event as it
 * appears, and exits 1 unless it PASSED.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Starts a drill now on the leader (its preflight guardrails still apply).")
public final class RunCommand extends ExtendableAdminVerb<RunDrillResponse> {
  private static final Duration POLL = Duration.ofMillis(500);

  @Parameters(index = "0", paramLabel = "NAME", description = "The drill, as `drill list` shows it.")
  String name;

  @Option(names = "--reason", defaultValue = "", description = "Why, for the history.")
  String reason;

  @Option(names = "--wait", description = "Follow the run until it ends, printing its timeline live.")
  boolean wait;

  @Option(names = "--wait-for", defaultValue = "PT1H", paramLabel = "DURATION",
      description = "Stop following after this long (ISO-8601; default: ${DEFAULT-VALUE}); the run goes on.")
  Duration waitFor;

  private boolean notPassed;

  @Override
  public Integer call() {
    Integer exit = super.call();
    return exit == EXIT_OK && notPassed ? EXIT_REFUSED : exit;
  }

  @Override
  protected RunDrillResponse call(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    RunDrillResponse started = admin.runDrill(RunDrillRequest.newBuilder().setName(name).setReason(reason).build());
    if (!wait) {
      return started;
    }
    String runId = started.getRun().getRunId();
    PrintWriter progress = out();
    progress.println("run " + runId + " started; following it (Ctrl-C stops following, not the drill)");
    progress.flush();
    Set<TimelineEvent> printed = new HashSet<>();
    Instant giveUp = Instant.now().plus(waitFor);
    DrillRun last = started.getRun();
    while (Instant.now().isBefore(giveUp)) {
      GetDrillReportResponse r = report(admin, runId);
      if (r != null) {
        last = r.getRun();
        DrillReport report = parse(r);
        for (TimelineEvent e : report.timeline()) {
          if (printed.add(e)) {
            progress.println(line(report.startedAt(), e));
          }
        }
        progress.flush();
        if (DrillCommand.ended(last)) {
          break;
        }
      }
      try {
        Thread.sleep(POLL.toMillis()); // following a run on a remote replica: a poll, ended by the run or Ctrl-C
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    notPassed = last.getState() != DrillRunState.DRILL_RUN_STATE_PASSED;
    return RunDrillResponse.newBuilder().setRun(last).build();
  }

  /** The report now, or null if it is not there yet (just started on a busy leader). */
  private GetDrillReportResponse report(AdminServiceGrpc.AdminServiceBlockingStub admin, String runId) {
    try {
      return admin.withDeadlineAfter(timeoutSeconds(), TimeUnit.SECONDS).getDrillReport(
          GetDrillReportRequest.newBuilder().setRunId(runId).setFormat(ReportFormat.REPORT_FORMAT_JSON).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return null;
      }
      throw e;
    }
  }

  private static DrillReport parse(GetDrillReportResponse r) {
    try {
      return JsonReport.parse(r.getBody().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("the control plane sent an unreadable report: " + e.getMessage(), e);
    }
  }

  /** {@code +2.345s  REGION_DOWN  us-east DOWN (critical down: llm)}. */
  static String line(Instant start, TimelineEvent e) {
    double seconds = Duration.between(start, e.at()).toMillis() / 1000.0;
    return String.format(Locale.ROOT, "%+9.3fs  %-19s %s", seconds, e.kind(), e.detail());
  }

  @Override
  protected String render(RunDrillResponse r) {
    return DrillCommand.line(r.getRun()) + (wait || DrillCommand.ended(r.getRun()) ? ""
        : "\nfollow it with: dialtone drill report " + r.getRun().getRunId() + " --format markdown");
  }
}
