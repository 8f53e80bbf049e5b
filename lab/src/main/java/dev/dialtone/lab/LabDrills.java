package dev.dialtone.lab;

import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.HtmlReport;
import dev.dialtone.chaos.report.JsonReport;
import dev.dialtone.chaos.report.MarkdownReport;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.DrillRun;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.GetDrillReportResponse;
import dev.dialtone.proto.v1.ReportFormat;
import dev.dialtone.proto.v1.RunDrillRequest;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs drills the way an operator does, through the leader's AdminService ({@code RunDrill}, then
 * {@code GetDrillReport} until the run ends), handing each new timeline event to a listener as it
 * appears, and writes the finished report as JSON, Markdown and HTML.
 */
public final class LabDrills implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(200);

  private final Lab lab;
  private final Clock clock;

  LabDrills(Lab lab, Clock clock) {
    this.lab = lab;
    this.clock = clock;
  }

  private AdminServiceGrpc.AdminServiceBlockingStub admin(LabProcess replica) {
    return lab.admin(replica);
  }

  /** The leader's AdminService, called as the lab operator. */
  public AdminServiceGrpc.AdminServiceBlockingStub leaderAdmin() {
    return admin(lab.leader().orElseThrow(() -> new IllegalStateException("no leader")));
  }

  /**
   * Runs {@code drill} on the leader and waits (at most {@code timeout}) for it to end.
   *
   * @return the run's final report
   */
  public DrillReport run(String drill, String reason, Consumer<TimelineEvent> onEvent, Duration timeout)
      throws InterruptedException, IOException {
    LabProcess leader = lab.leader().orElseThrow(() -> new IllegalStateException("no leader to run a drill"));
    Instant asked = clock.instant();
    DrillRun started = admin(leader).runDrill(RunDrillRequest.newBuilder().setName(drill).setReason(reason).build()).getRun();
    String runId = started.getRunId();
    Instant deadline = clock.instant().plus(timeout);
    int seen = 0;
    while (true) {
      GetDrillReportResponse answer = report(runId, ReportFormat.REPORT_FORMAT_JSON);
      if (answer != null) {
        DrillReport report = JsonReport.parse(answer.getBody().getBytes(StandardCharsets.UTF_8));
        List<TimelineEvent> timeline = report.timeline();
        for (int i = seen; i < timeline.size(); i++) {
          onEvent.accept(timeline.get(i));
        }
        seen = Math.max(seen, timeline.size());
        if (report.state().concluded()) { // a handed-over run goes on on the next leader
          return withLabCalls(report, asked);
        }
      }
      if (clock.instant().isAfter(deadline)) {
        throw new IllegalStateException("drill run " + runId + " did not end within " + timeout);
      }
      Thread.sleep(POLL.toMillis()); // polling a real run's progress, bounded by the deadline
    }
  }

  /**
   * The replicas cannot see the lab's calls (SIPp, outside the deployment): the calls that failed
   * while the drill ran are added to its report here, so {@code no_failed_lab_calls} is measured.
   */
  private DrillReport withLabCalls(DrillReport report, Instant asked) {
    if (lab.calls() == null) {
      return report;
    }
    Instant end = report.endedAt() != null ? report.endedAt() : clock.instant();
    List<Instant> failed = lab.calls().failuresSince(asked).stream().filter(t -> !t.isAfter(end)).toList();
    return report.withObservedCallFailures(failed, "counted by the lab's SIPp caller: no 2xx within "
        + LabCalls.ANSWER_TIMEOUT.toSeconds() + " s");
  }

  /** The report from whichever replica has it: the leader while the run goes on, ZooKeeper's copy after. */
  private GetDrillReportResponse report(String runId, ReportFormat format) {
    List<LabProcess> order = new ArrayList<>();
    lab.leader().ifPresent(order::add);
    lab.replicas().stream().filter(r -> !order.contains(r) && r.process().isAlive()).forEach(order::add);
    for (LabProcess r : order) {
      try {
        return admin(r).getDrillReport(GetDrillReportRequest.newBuilder().setRunId(runId).setFormat(format).build());
      } catch (StatusRuntimeException e) {
        // not this replica's run and not stored yet, or the replica is going away: ask the next one
      }
    }
    return null;
  }

  /** Writes {@code report} as {@code <runId>.json}, {@code .md} and {@code .html} under {@code dir}. */
  public List<Path> write(DrillReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    List<Path> files = new ArrayList<>();
    for (var f : List.of(Map.entry("json", JsonReport.render(report)), Map.entry("md", MarkdownReport.render(report)),
        Map.entry("html", HtmlReport.render(report)))) {
      Path file = dir.resolve(report.runId() + "." + f.getKey());
      Files.writeString(file, f.getValue());
      files.add(file);
    }
    return files;
  }

  @Override
  public void close() {
    // The lab owns the channels.
  }
}
