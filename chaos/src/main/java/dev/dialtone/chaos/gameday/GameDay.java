package dev.dialtone.chaos.gameday;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.calls.CallCounter;
import dev.dialtone.actuation.calls.CallCounts;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.ReportStore;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.run.RunCheckpoint;
import dev.dialtone.chaos.run.DrillResult;
import dev.dialtone.chaos.run.DrillRun;
import dev.dialtone.chaos.run.DrillRunner;
import dev.dialtone.chaos.run.DrillWorld;
import dev.dialtone.chaos.schedule.DrillLauncher;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ties a drill run to its report: starts runs (scheduled ones as the scheduler's {@link
 * DrillLauncher}, manual ones for {@code dialtone drill run}), keeps the active ones for {@code
 * abort}, and stores each report when its run ends.
 */
public final class GameDay implements DrillLauncher {
  private static final Logger log = LoggerFactory.getLogger(GameDay.class);

  private final DrillRunner runner;
  private final DrillWorld world;
  private final ReportStore reports;
  private final Clock clock;
  private final List<CallCounter> carriers;
  private final Map<String, DrillRun> active = new ConcurrentHashMap<>();
  private final Map<String, Optional<CallCounts>> callsAtStart = new ConcurrentHashMap<>();
  // Each run's final report (calls included), complete once built: a reader that sees the run
  // ended before the store has it gets this one, never a report without its calls.
  private final Map<String, CompletableFuture<DrillReport>> reported = new ConcurrentHashMap<>();

  public GameDay(DrillRunner runner, DrillWorld world, ReportStore reports, Clock clock) {
    this(runner, world, reports, clock, List.of());
  }

  /** With the carriers that count calls: each report says what they counted during its run. */
  public GameDay(DrillRunner runner, DrillWorld world, ReportStore reports, Clock clock, List<CallCounter> carriers) {
    this.runner = runner;
    this.world = world;
    this.reports = reports;
    this.clock = clock;
    this.carriers = List.copyOf(carriers);
  }

  /** A scheduled run: its id is derived from the claimed time, so it is the same on every replica. */
  @Override
  public void launch(DrillDefinition drill, Instant scheduledTime, long epoch) {
    start(drill, drill.name() + "-" + scheduledTime.toEpochMilli(), epoch);
  }

  /** A manual run, now. */
  public DrillRun runNow(DrillDefinition drill, long epoch) {
    return start(drill, drill.name() + "-manual-" + clock.millis(), epoch);
  }

  /** Aborts an active run; false if there is none by that id. */
  public boolean abort(String runId, String reason) {
    DrillRun run = active.get(runId);
    if (run == null) {
      return false;
    }
    run.abort(reason);
    return true;
  }

  public Optional<DrillRun> active(String runId) {
    return Optional.ofNullable(active.get(runId));
  }

  /**
   * The final report of a run started here, complete once built (stored or not); it completes with
   * null for a handed-over run, whose end the next leader reports. Empty for a run not started here
   * or reported before the last run started.
   */
  public Optional<CompletableFuture<DrillReport>> report(String runId) {
    return Optional.ofNullable(reported.get(runId));
  }

  private DrillRun start(DrillDefinition asWritten, String runId, long epoch) {
    // "active" or "standby:N" is whichever region holds that role now, fixed for the whole run.
    List<String> routing = asWritten.targetsByRole() ? world.routing() : List.of();
    DrillDefinition drill = asWritten.resolvedAgainst(routing);
    if (drill != asWritten) {
      log.info("[region={} epoch={} run={}] drill {} targets {}: {} now", drill.region(), epoch, runId, drill.name(),
          asWritten.region(), drill.region());
    }
    callsAtStart.put(runId, callCounts(runId));
    DrillRun run = runner.start(drill, runId, epoch, world, event -> {}, routing);
    track(runId, run);
    return run;
  }

  /**
   * Takes over a run the previous leader handed over (a control-plane step faulted it): resolved
   * as it was when it started, resumed at {@code epoch}, reported here when it ends.
   */
  public DrillRun resume(DrillDefinition asWritten, RunCheckpoint from, long epoch, Instant electedAt, String elected) {
    DrillDefinition drill = asWritten.resolvedAgainst(from.routing());
    callsAtStart.put(from.runId(), Optional.empty()); // the calls before the takeover were counted by the dead leader
    DrillRun run = runner.resume(drill, from, epoch, world, electedAt, elected, event -> {});
    track(from.runId(), run);
    return run;
  }

  private void track(String runId, DrillRun run) {
    reported.values().removeIf(CompletableFuture::isDone); // runs are one at a time: older reports are stored
    active.put(runId, run);
    reported.put(runId, run.result().thenApply(this::finished));
  }

  /** Builds and stores the run's report; null for a handed-over run. */
  private DrillReport finished(DrillResult result) {
    active.remove(result.runId());
    if (result.state() == DrillState.HANDED_OVER) {
      callsAtStart.remove(result.runId());
      return null; // the next leader reports it
    }
    Optional<CallCounts> before = callsAtStart.remove(result.runId());
    Optional<CallCounts> during = before == null || before.isEmpty() ? Optional.empty()
        : callCounts(result.runId()).map(now -> now.since(before.get()));
    DrillReport report = DrillReport.from(result).withCalls(during);
    try {
      reports.save(report);
    } catch (IOException e) {
      log.error("[region={} epoch={} run={}] drill report not stored: {}", result.drill().region(), result.epoch(), result.runId(), e.getMessage());
    }
    return report;
  }

  /** What every carrier counted so far, or empty when there is none or one cannot tell now. */
  private Optional<CallCounts> callCounts(String runId) {
    if (carriers.isEmpty()) {
      return Optional.empty();
    }
    CallCounts sum = CallCounts.NONE;
    for (CallCounter carrier : carriers) {
      try {
        sum = sum.plus(carrier.calls());
      } catch (ActuationException | RuntimeException e) {
        log.warn("[run={}] calls not counted: carrier {} did not answer: {}", runId, carrier.name(), e.getMessage());
        return Optional.empty();
      }
    }
    return Optional.of(sum);
  }
}
