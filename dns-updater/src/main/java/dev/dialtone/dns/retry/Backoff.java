package dev.dialtone.dns.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th wait is uniform in {@code [0, min(max,
 * initial·2ⁿ)]}, so retrying writers spread out instead of hitting the server in step.
 *
 * @param initial the ceiling of the first wait
 * @param max the largest ceiling
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
  }

  /** The wait before retry number {@code attempt} (0 for the first retry). */
  public Duration delay(int attempt, RandomGenerator random) {
    long ceiling = initial.toMillis() << Math.min(attempt, 20);
    ceiling = Math.min(ceiling, max.toMillis());
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }
}
