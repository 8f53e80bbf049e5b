package dev.dialtone.config;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The one retry backoff: exponential ceilings from resilience4j's {@link IntervalFunction}
 * ({@code initial × 2^(n-1)}, at most {@code max}) and full jitter drawn from an injected random
 * source, so retrying writers spread out and tests stay deterministic.
 *
 * @param initial the ceiling of the first wait
 * @param max the largest ceiling
 */
public record Backoff(Duration initial, Duration max) {
  public Backoff {
    if (initial == null || max == null || initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + ", " + max);
    }
  }

  /** The ceiling before attempt {@code attempt} (1-based). */
  public Duration ceiling(int attempt) {
    IntervalFunction f = IntervalFunction.ofExponentialBackoff(initial, 2.0, max);
    return Duration.ofMillis(f.apply(Math.max(1, Math.min(attempt, 40))));
  }

  /** A wait before attempt {@code attempt} (1-based), uniform in {@code [0, ceiling]}. */
  public Duration delay(int attempt, RandomGenerator random) {
    return Duration.ofMillis(random.nextLong(ceiling(attempt).toMillis() + 1));
  }
}
