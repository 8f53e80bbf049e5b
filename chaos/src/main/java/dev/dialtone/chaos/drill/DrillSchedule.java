package dev.dialtone.chaos.drill;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.Rules;
import jakarta.validation.constraints.NotNull;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;

/**
 * When a drill runs by itself: a Unix cron expression (5 fields) in a time zone, and what to do
 * with a scheduled time that passed while no leader was there to run it.
 */
public record DrillSchedule(@NotNull String cron, String zone, MissedRun missedRun, @PositiveDuration Duration missedRunWithin)
    implements Checked {
  /** Drills use Unix cron (5 fields: minute hour day-of-month month day-of-week). */
  public static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

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

  @Override
  public void check(Rules rules) {
    if (cron != null) {
      try {
        CRON.parse(cron).validate();
      } catch (IllegalArgumentException e) {
        rules.fail("cron", "'" + cron + "' is not a Unix cron expression (5 fields: minute hour day-of-month month day-of-week): "
            + e.getMessage());
      }
    }
    try {
      ZoneId.of(zone);
    } catch (DateTimeException e) {
      rules.fail("zone", "'" + zone + "' is not a time zone (e.g. UTC, Europe/Paris)");
    }
    if (missedRun == MissedRun.RUN_ONCE_IF_WITHIN) {
      rules.require(missedRunWithin != null, "missedRunWithin", "is required with missed_run: run_once_if_within");
    } else {
      rules.require(missedRunWithin == null, "missedRunWithin", "only applies to missed_run: run_once_if_within");
    }
  }
}
