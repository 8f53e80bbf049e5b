package dev.dialtone.cli.drill;

import dev.dialtone.proto.v1.DrillRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dialtone drill list|apply|delete|run|abort|report}: game days through the control plane's admin API. */
@Command(name = "drill", mixinStandardHelpOptions = true,
    description = "Lists, applies, deletes, runs (on the leader), aborts and reports game-day drills.",
    subcommands = {ListCommand.class, ApplyCommand.class, DeleteCommand.class, RunCommand.class, AbortCommand.class,
        ReportCommand.class})
public final class DrillCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: list, apply, delete, run, abort or report");
  }

  /** {@code PASSED}, {@code RUNNING}, ... */
  static String state(DrillRun run) {
    return run.getState().name().replace("DRILL_RUN_STATE_", "");
  }

  static boolean ended(DrillRun run) {
    return switch (run.getState()) {
      case DRILL_RUN_STATE_PASSED, DRILL_RUN_STATE_FAILED, DRILL_RUN_STATE_ABORTED, DRILL_RUN_STATE_SKIPPED -> true;
      default -> false;
    };
  }

  /** One line about a run. */
  static String line(DrillRun run) {
    return "run " + run.getRunId() + " (" + run.getDrill() + "): " + state(run)
        + (run.getReason().isEmpty() ? "" : ": " + run.getReason());
  }
}
