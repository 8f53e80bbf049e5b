package dev.dialtone.chaos.schedule;

import com.cronutils.model.time.ExecutionTime;
import dev.dialtone.chaos.drill.DrillSchedule;
import dev.dialtone.chaos.drill.DrillSchedule;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** A drill's scheduled times: a Unix cron expression evaluated in its time zone. */
public final class DrillCalendar {
  private final ExecutionTime times;
  private final ZoneId zone;

  public DrillCalendar(String cron, ZoneId zone) {
    this.times = ExecutionTime.forCron(DrillSchedule.CRON.parse(cron).validate());
    this.zone = zone;
  }

  public static DrillCalendar of(DrillSchedule schedule) {
    return new DrillCalendar(schedule.cron(), ZoneId.of(schedule.zone()));
  }

  /** The latest scheduled time at or before {@code now}. */
  public Optional<Instant> latestAtOrBefore(Instant now) {
    var at = now.atZone(zone);
    if (times.isMatch(at) && at.getSecond() == 0 && at.getNano() == 0) {
      return Optional.of(now);
    }
    return times.lastExecution(at).map(t -> t.toInstant());
  }

  /** The first scheduled time strictly after {@code after}. */
  public Optional<Instant> nextAfter(Instant after) {
    return times.nextExecution(after.atZone(zone)).map(t -> t.toInstant());
  }
}
