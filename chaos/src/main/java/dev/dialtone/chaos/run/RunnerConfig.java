package dev.dialtone.chaos.run;

import java.time.Duration;

/** Settings of the {@link DrillRunner}: how often it polls the world, how often it retries healing. */
public record RunnerConfig(Duration pollInterval, int healAttempts) {
  /** Defaults: poll every 100 ms (well inside a probe interval), five heal attempts. */
  public static final RunnerConfig DEFAULTS = new RunnerConfig(Duration.ofMillis(100), 5);

  public RunnerConfig {
    if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("runner.pollInterval must be positive, not " + pollInterval);
    }
    if (healAttempts < 1) {
      throw new IllegalArgumentException("runner.healAttempts must be at least 1, not " + healAttempts);
    }
  }
}
