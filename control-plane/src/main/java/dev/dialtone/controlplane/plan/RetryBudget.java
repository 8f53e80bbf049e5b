package dev.dialtone.controlplane.plan;

import dev.dialtone.config.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one actuator call may take, how long a step may keep retrying, and the exponential
 * backoff (with full jitter) between attempts.
 */
public record RetryBudget(Duration attemptTimeout, Duration stepBudget, Duration initialBackoff, Duration maxBackoff) {
  public RetryBudget {
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    Objects.requireNonNull(stepBudget, "stepBudget");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
  }

  public static RetryBudget defaults() {
    return new RetryBudget(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(2));
  }

  /** The backoff between attempts: initial × 2^(n-1), at most {@code maxBackoff}, full jitter. */
  public Backoff backoff() {
    return new Backoff(initialBackoff, maxBackoff);
  }
}
