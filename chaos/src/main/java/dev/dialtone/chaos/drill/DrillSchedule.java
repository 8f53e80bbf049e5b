package dev.dialtone.chaos.drill;

import java.time.Duration;

/**
 * When a drill runs by itself: a Unix cron expression (5 fields) in a time zone, and what to do
 * with a scheduled time that passed while no leader was there to run it.
 */
public record DrillSchedule(String cron, String zone, MissedRun missedRun, Duration missedRunWithin) {

  /** What a leader does with a scheduled time it finds already past (after downtime or a change). */
  public enum MissedRun {
    /** Never run a late drill. */
    SKIP,
    /** Run the latest missed time once if it is no older than {@code missed_run_within}. */
    RUN_ONCE_IF_WITHIN
  }

  public DrillSchedule {
    zone = zone == null ? "UTC" : zone;
    missedRun = missedRun == null ? MissedRun.SKIP : missedRun;
  }
}
