package dev.dialtone.agent.report;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect backoff with jitter: {@code initial × 2^n} capped at {@code max}, each
 * delay spread by ±{@code jitter} so many agents do not reconnect in lockstep. Randomness comes
 * in through the constructor. Not thread-safe.
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final double jitter;
  private final DoubleSupplier random;
  private int failures;

  /** {@code random} yields values in [0, 1); {@code jitter} is a fraction in [0, 1). */
  public Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
    this.initial = initial;
    this.max = max;
    this.jitter = jitter;
    this.random = random;
  }

  /** The delay before the next attempt; grows with each call until {@link #reset()}. */
  public Duration next() {
    double base = Math.min(max.toNanos(), initial.toNanos() * Math.pow(2, Math.min(failures, 30)));
    failures++;
    double spread = 1 + jitter * (2 * random.getAsDouble() - 1);
    return Duration.ofNanos((long) Math.min(max.toNanos(), base * spread));
  }

  /** Starts over after a success. */
  public void reset() {
    failures = 0;
  }
}
