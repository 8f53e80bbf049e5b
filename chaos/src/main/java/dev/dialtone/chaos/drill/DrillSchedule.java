package dev.dialtone.chaos.drill;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.Rules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When a drill runs by itself: a Unix cron expression (5 fields) in a time zone, what to do with a
 * scheduled time that passed while no leader was there to run it, and when it must not run: dates
 * and weekly windows that are blocked (a change freeze, the Black Friday week, Friday afternoons),
 * and, if any are given, the only windows it may run in (business hours, when people are around).
 * Everything is read in {@code zone}. A run that falls in a blocked time is skipped, not delayed.
 */
public record DrillSchedule(@NotNull String cron, String zone, MissedRun missedRun, @PositiveDuration Duration missedRunWithin,
    List<@NotNull String> blockedDates, List<@NotNull @Valid Window> blockedWindows,
    List<@NotNull @Valid Window> allowedWindows) implements Checked {

  /** Without blocked dates or windows. */
  public DrillSchedule(String cron, String zone, MissedRun missedRun, Duration missedRunWithin) {
    this(cron, zone, missedRun, missedRunWithin, null, null, null);
  }

  /**
   * A weekly window: on {@code days} (MON..SUN; every day when empty), from {@code from} to {@code
   * to} ("HH:mm", {@code to} exclusive, "24:00" for the end of the day; no window crosses midnight).
   */
  public record Window(List<@NotNull String> days, @NotNull String from, @NotNull String to) implements Checked {
    public Window {
      days = days == null ? List.of() : List.copyOf(days);
    }

    @Override
    public void check(Rules rules) {
      for (int i = 0; i < days.size(); i++) {
        if (day(days.get(i)).isEmpty()) {
          rules.fail("days[" + i + "]", "'" + days.get(i) + "' is not a day of the week (MON, TUE, WED, THU, FRI, SAT, SUN)");
        }
      }
      Optional<LocalTime> start = time(from, false);
      Optional<LocalTime> end = time(to, true);
      rules.require(from == null || start.isPresent(), "from", "'" + from + "' is not a time of day (HH:mm)");
      rules.require(to == null || end.isPresent(), "to", "'" + to + "' is not a time of day (HH:mm, or 24:00)");
      if (start.isPresent() && end.isPresent()) {
        rules.require(start.get().isBefore(end.get()), "to", "must be after from (" + from + "): a window does not cross"
            + " midnight, write one before and one after it");
      }
    }

    /** Whether {@code at} (local) falls in this window. */
    boolean contains(ZonedDateTime at) {
      LocalTime t = at.toLocalTime();
      boolean onDay = days.isEmpty() || days.stream().flatMap(d -> day(d).stream()).anyMatch(d -> d == at.getDayOfWeek());
      return onDay && !t.isBefore(time(from, false).orElseThrow()) && t.isBefore(time(to, true).orElseThrow());
    }

    @Override
    public String toString() {
      return (days.isEmpty() ? "every day" : String.join(",", days)) + " " + from + "-" + to;
    }

    private static Optional<DayOfWeek> day(String name) {
      String n = name == null ? "" : name.trim().toUpperCase(Locale.ROOT);
      return n.length() < 3 ? Optional.empty()
          : Arrays.stream(DayOfWeek.values()).filter(d -> d.name().startsWith(n) && (n.length() == 3 || d.name().equals(n)))
              .findFirst();
    }

    // "24:00" is the end of the day: the last representable instant before midnight, exclusive.
    private static Optional<LocalTime> time(String text, boolean end) {
      if (text == null) {
        return Optional.empty();
      }
      if (end && text.equals("24:00")) {
        return Optional.of(LocalTime.MAX);
      }
      try {
        return Optional.of(LocalTime.parse(text, DateTimeFormatter.ofPattern("HH:mm")));
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }
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
    blockedDates = blockedDates == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(blockedDates));
    blockedWindows = blockedWindows == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(blockedWindows));
    allowedWindows = allowedWindows == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(allowedWindows));
  }

  /**
   * Why a run at {@code at} may not happen, if it may not: a blocked date, a blocked window, or no
   * allowed window (when some are given) around it, all read in the drill's time zone.
   */
  public Optional<String> blockedAt(Instant at) {
    ZoneId z = ZoneId.of(zone);
    ZonedDateTime local = at.atZone(z);
    String date = local.toLocalDate().toString();
    if (blockedDates.contains(date)) {
      return Optional.of(date + " is a blocked date (" + zone + ")");
    }
    for (Window w : blockedWindows) {
      if (w.contains(local)) {
        return Optional.of(local.toLocalTime().withNano(0) + " on " + local.getDayOfWeek() + " is in the blocked window "
            + w + " (" + zone + ")");
      }
    }
    if (!allowedWindows.isEmpty() && allowedWindows.stream().noneMatch(w -> w.contains(local))) {
      return Optional.of(local.toLocalTime().withNano(0) + " on " + local.getDayOfWeek() + " is outside every allowed window "
          + allowedWindows + " (" + zone + ")");
    }
    return Optional.empty();
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
    for (int i = 0; i < blockedDates.size(); i++) {
      try {
        LocalDate.parse(blockedDates.get(i));
      } catch (DateTimeParseException e) {
        rules.fail("blockedDates[" + i + "]", "'" + blockedDates.get(i) + "' is not a date (YYYY-MM-DD)");
      }
    }
    if (missedRun == MissedRun.RUN_ONCE_IF_WITHIN) {
      rules.require(missedRunWithin != null, "missedRunWithin", "is required with missed_run: run_once_if_within");
    } else {
      rules.require(missedRunWithin == null, "missedRunWithin", "only applies to missed_run: run_once_if_within");
    }
  }
}
