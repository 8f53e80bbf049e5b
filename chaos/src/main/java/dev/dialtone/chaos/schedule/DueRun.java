package dev.dialtone.chaos.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a scheduled time is due now: the pure decision at the heart of {@link DrillScheduler}.
 * {@code scheduledTime} is empty when there is nothing new to consider; when present it is
 * consumed (the caller's watermark moves to it) whether or not it runs.
 */
public record DueRun(Optional<Instant> scheduledTime, boolean run, String reason) {

  /**
   * @param latest the latest scheduled time at or before {@code now}
   * @param watermark the latest scheduled time this replica already handled, or null
   * @param grace how late a run still counts as on time (ticks, a leader change in progress)
   */
  public static DueRun decide(
      Optional<Instant> latest, Instant watermark, Instant now, Duration grace, MissedRunPolicy policy) {
    return decide(latest, watermark, now, grace, policy, at -> Optional.empty());
  }

  /**
   * As above, and a run that would start at a blocked time ({@code blockedAt(now)} says why) is
   * consumed without running: skipped, not delayed into the next allowed window.
   */
  public static DueRun decide(Optional<Instant> latest, Instant watermark, Instant now, Duration grace,
      MissedRunPolicy policy, java.util.function.Function<Instant, Optional<String>> blockedAt) {
    DueRun due = onTime(latest, watermark, now, grace, policy);
    if (!due.run()) {
      return due;
    }
    return blockedAt.apply(now).map(why -> new DueRun(due.scheduledTime(), false, "not run: " + why))
        .orElse(due);
  }

  private static DueRun onTime(
      Optional<Instant> latest, Instant watermark, Instant now, Duration grace, MissedRunPolicy policy) {
    if (latest.isEmpty() || (watermark != null && !latest.get().isAfter(watermark))) {
      return new DueRun(Optional.empty(), false, "nothing scheduled since the last run");
    }
    Instant time = latest.get();
    Duration late = Duration.between(time, now);
    if (late.compareTo(grace) <= 0) {
      return new DueRun(latest, true, "on time (" + late.toMillis() + " ms late)");
    }
    return switch (policy) {
      case MissedRunPolicy.Skip skip ->
          new DueRun(latest, false, "missed by " + late + ": skipped (missed_run: skip)");
      case MissedRunPolicy.RunOnceIfWithin within when late.compareTo(within.window()) <= 0 ->
          new DueRun(latest, true, "missed by " + late + ", within " + within.window() + ": running once");
      case MissedRunPolicy.RunOnceIfWithin within ->
          new DueRun(latest, false, "missed by " + late + ", beyond " + within.window() + ": skipped");
    };
  }
}
