package dev.dialtone.chaos.schedule;

import java.time.Duration;

/**
 * Settings of the {@link DrillScheduler}: how often it looks at the clock, and how late a run
 * still counts as on time rather than missed.
 */
public record SchedulerConfig(Duration tick, Duration onTimeGrace) {
  /** Defaults: a tick every second, 30 s of grace (covers a leader hand-over). */
  public static final SchedulerConfig DEFAULTS = new SchedulerConfig(Duration.ofSeconds(1), Duration.ofSeconds(30));

  public SchedulerConfig {
    if (tick == null || tick.isNegative() || tick.isZero()) {
      throw new IllegalArgumentException("scheduler.tick must be positive, not " + tick);
    }
    if (onTimeGrace == null || onTimeGrace.compareTo(tick) < 0) {
      throw new IllegalArgumentException("scheduler.onTimeGrace must be at least scheduler.tick (" + tick + "), not " + onTimeGrace);
    }
  }
}
