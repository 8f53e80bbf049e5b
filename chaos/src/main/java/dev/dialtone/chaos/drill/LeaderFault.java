package dev.dialtone.chaos.drill;

import java.time.Duration;

/**
 * A control-plane fault: the leader running the drill kills its own process (kill -9: no shutdown
 * hook, its ZooKeeper session left to expire) or stops it for {@code stall} (SIGSTOP, then SIGCONT),
 * at once or when its next plan is about to touch an actuator ({@code inFlight}).
 */
public record LeaderFault(Kind kind, boolean inFlight, Duration stall) {
  /** What happens to the leader's process. */
  public enum Kind {
    KILL,
    STALL
  }

  /** How the timeline names it, e.g. {@code kill -9} or {@code SIGSTOP for 8s}. */
  public String describe() {
    return kind == Kind.KILL ? "kill -9" : "SIGSTOP for " + dev.dialtone.config.Durations.format(stall);
  }
}
