package dev.dialtone.agent.probe;

import dev.dialtone.proto.v1.HealthStatus;

/**
 * Turns raw attempt outcomes into a verdict: DOWN after {@code failAfter} consecutive failures,
 * back to UP/DEGRADED after {@code recoverAfter} consecutive successes. Starts UNKNOWN (never
 * healthy). While available, UP and DEGRADED follow the latest attempt at once, because both are
 * usable and the difference is a preference, not a switch. Not thread-safe; pure state machine.
 */
public final class Hysteresis {
  private final int failAfter;
  private final int recoverAfter;
  private HealthStatus verdict = HealthStatus.HEALTH_STATUS_UNSPECIFIED;
  private HealthStatus lastRaw = HealthStatus.HEALTH_STATUS_UNSPECIFIED;
  private int consecutive;
  private int successes;
  private int failures;

  public Hysteresis(int failAfter, int recoverAfter) {
    if (failAfter < 1 || recoverAfter < 1) {
      throw new IllegalArgumentException("failAfter and recoverAfter must be >= 1");
    }
    this.failAfter = failAfter;
    this.recoverAfter = recoverAfter;
  }

  /** Feeds one raw outcome (UP, DEGRADED or DOWN) and returns the new verdict. */
  public HealthStatus apply(HealthStatus raw) {
    consecutive = raw == lastRaw ? consecutive + 1 : 1;
    lastRaw = raw;
    boolean success = raw == HealthStatus.HEALTH_STATUS_UP || raw == HealthStatus.HEALTH_STATUS_DEGRADED;
    if (success) {
      successes++;
      failures = 0;
    } else {
      failures++;
      successes = 0;
    }
    boolean available = verdict == HealthStatus.HEALTH_STATUS_UP || verdict == HealthStatus.HEALTH_STATUS_DEGRADED;
    if (!success && failures >= failAfter && verdict != HealthStatus.HEALTH_STATUS_DOWN) {
      verdict = HealthStatus.HEALTH_STATUS_DOWN;
    } else if (success && available) {
      verdict = raw;
    } else if (success && successes >= recoverAfter) {
      verdict = raw;
    }
    return verdict;
  }

  /** The current verdict. */
  public HealthStatus verdict() {
    return verdict;
  }

  /** How many consecutive attempts had the latest raw outcome. */
  public int consecutive() {
    return consecutive;
  }
}
