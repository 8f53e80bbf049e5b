package dev.dialtone.chaos.run;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.fault.FaultSwitch;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Starts drill runs: each is a state machine PREFLIGHT → RUNNING → HEALING → PASSED / FAILED /
 * ABORTED (or SKIPPED when the preflight refuses, HANDED_OVER when a control-plane step faults the
 * leader) stepped on the injected executor and clock.
 */
public final class DrillRunner {
  private final RunnerConfig config;
  private final FaultSwitch faults;
  private final Clock clock;
  private final ScheduledExecutorService executor;

  public DrillRunner(RunnerConfig config, FaultSwitch faults, Clock clock, ScheduledExecutorService executor) {
    this.config = config;
    this.faults = faults;
    this.clock = clock;
    this.executor = executor;
  }

  /** Starts a run (its first step runs on the executor at once); never blocks. */
  public DrillRun start(DrillDefinition drill, String runId, long epoch, DrillWorld world) {
    return start(drill, runId, epoch, world, event -> {});
  }

  /** Starts a run that also hands each timeline event to {@code listener} as it happens (live progress). */
  public DrillRun start(
      DrillDefinition drill, String runId, long epoch, DrillWorld world, Consumer<TimelineEvent> listener) {
    return start(drill, runId, epoch, world, listener, List.of());
  }

  /** As above, for a drill whose roles were resolved against {@code routing} (kept in case the run is handed over). */
  public DrillRun start(
      DrillDefinition drill, String runId, long epoch, DrillWorld world, Consumer<TimelineEvent> listener, List<String> routing) {
    DrillRun run = new DrillRun(config, drill, runId, epoch, world, faults, clock, executor, listener);
    run.begin(routing);
    return run;
  }

  /**
   * Resumes a run another leader handed over (a control-plane step), at this leader's {@code epoch}:
   * {@code drill} is the definition resolved against the checkpoint's routing.
   */
  public DrillRun resume(DrillDefinition drill, RunCheckpoint from, long epoch, DrillWorld world, Instant electedAt,
      String elected, Consumer<TimelineEvent> listener) {
    DrillRun run = new DrillRun(config, drill, from.runId(), epoch, world, faults, clock, executor, listener);
    run.resume(from, electedAt, elected);
    return run;
  }
}
