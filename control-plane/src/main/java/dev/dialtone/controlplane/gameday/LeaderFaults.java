package dev.dialtone.controlplane.gameday;

import dev.dialtone.chaos.drill.LeaderFault;
import dev.dialtone.chaos.run.Handover;
import dev.dialtone.chaos.run.RunCheckpoint;
import dev.dialtone.chaos.store.Handovers;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control-plane step on this replica's own process: stores the run's handover for the next
 * leader, then sends itself SIGKILL, or SIGSTOP with a helper that sends SIGCONT after the stall,
 * through the system's {@code kill} (a real signal, as an operator's or the kernel's would be).
 */
public final class LeaderFaults {
  private static final Logger log = LoggerFactory.getLogger(LeaderFaults.class);
  /** How long a step is held after a kill -9 that somehow did not kill. */
  private static final Duration KILL_GRACE = Duration.ofSeconds(30);

  /** Starts a command; tests record it instead. */
  @FunctionalInterface
  public interface Commands {
    Process start(List<String> command) throws IOException;

    Commands SYSTEM = command -> new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }

  private final String replicaId;
  private final long pid;
  private final Handovers handovers;
  private final Commands commands;

  public LeaderFaults(String replicaId, long pid, Handovers handovers, Commands commands) {
    this.replicaId = replicaId;
    this.pid = pid;
    this.handovers = handovers;
    this.commands = commands;
  }

  /**
   * Hands the run over and faults this process; returns once a stall is over (a kill does not
   * return), false at once if the run had nothing to hand over or the fault could not be done (the
   * run then aborts, which heals).
   */
  public boolean fire(LeaderFault fault, Handover handover, String planId, String step) throws InterruptedException {
    String what = fault.describe() + " of the leader " + replicaId + " (pid " + pid + ")"
        + (planId.isEmpty() ? "" : ", plan " + planId + " in flight (about to " + step + ")");
    Optional<RunCheckpoint> checkpoint = handover.handOver(what, replicaId, planId);
    if (checkpoint.isEmpty()) {
      return false;
    }
    String tag = "[epoch=" + checkpoint.get().epoch() + " run=" + checkpoint.get().runId() + "]";
    try {
      handovers.save(checkpoint.get());
    } catch (IOException e) {
      handover.notHandedOver("the handover was not stored: " + e.getMessage());
      return false;
    }
    Process signal;
    try {
      signal = commands.start(command(fault));
    } catch (IOException e) {
      try {
        handovers.remove(checkpoint.get().runId());
      } catch (IOException again) {
        log.warn("{} handover left in ZooKeeper; the next leader resumes it: {}", tag, again.getMessage());
      }
      handover.notHandedOver("could not run kill: " + e.getMessage());
      return false;
    }
    handover.handedOver();
    log.warn("{} CONTROL-PLANE DRILL: {}", tag, what);
    if (fault.kind() == LeaderFault.Kind.KILL) {
      signal.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      Thread.sleep(KILL_GRACE.toMillis()); // the signal kills this process during the wait
      log.error("{} still alive {} after kill -9 of itself", tag, KILL_GRACE);
      return true;
    }
    if (!signal.waitFor(fault.stall().plus(KILL_GRACE).toMillis(), TimeUnit.MILLISECONDS)) {
      signal.destroy();
    }
    log.warn("{} woke after {}: the next leader has the run; this replica's writes are now stale", tag, what);
    return true;
  }

  List<String> command(LeaderFault fault) {
    String self = Long.toString(pid);
    if (fault.kind() == LeaderFault.Kind.KILL) {
      return List.of("kill", "-KILL", self);
    }
    String seconds = String.format(Locale.ROOT, "%.3f", fault.stall().toMillis() / 1000.0);
    // The helper outlives the stop: it is its own process, and sends SIGCONT after the stall.
    return List.of("sh", "-c", "kill -STOP \"$1\"; sleep \"$2\"; kill -CONT \"$1\"", "dialtone-stall", self, seconds);
  }
}
