package dev.dialtone.chaos.drill;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a bound drill for missing fields, impossible values and a bad schedule. Pure: returns
 * each violation with the field path it concerns; {@link DrillFileReader} adds file and line.
 */
public final class DrillValidator {
  /** Drills use Unix cron (5 fields: minute hour day-of-month month day-of-week). */
  public static final CronParser CRON = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private static final java.util.regex.Pattern IDENTIFIER = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  /** One violation: the field path ({@code faults[0].latency}) and what is wrong with it. */
  public record Violation(String field, String message) {}

  private final List<Violation> violations = new ArrayList<>();

  private DrillValidator() {}

  /** Every violation in {@code drill}, in file order as far as practical. */
  public static List<Violation> validate(DrillDefinition drill) {
    DrillValidator validator = new DrillValidator();
    validator.check(drill);
    return List.copyOf(validator.violations);
  }

  private void check(DrillDefinition drill) {
    if (required("name", drill.name())) {
      identifier("name", drill.name());
    }
    if (required("region", drill.region())) {
      identifier("region", drill.region());
    }
    if (drill.target() == null) {
      missing("target");
    } else {
      required("target.kind", drill.target().kind());
      if (required("target.dependency", drill.target().dependency())) {
        identifier("target.dependency", drill.target().dependency());
      }
    }
    checkFaults(drill.faults());
    if (required("duration", drill.duration())) {
      positive("duration", drill.duration());
    }
    DrillExpectations expectations = drill.expectations();
    optionalPositive("expectations.shifted_within", expectations.shiftedWithin());
    optionalPositive("expectations.failed_back_within", expectations.failedBackWithin());
    if (drill.guardrails() == null) {
      missing("guardrails");
    } else if (required("guardrails.max_duration", drill.guardrails().maxDuration())
        && positive("guardrails.max_duration", drill.guardrails().maxDuration())
        && drill.duration() != null
        && drill.guardrails().maxDuration().compareTo(drill.duration()) < 0) {
      violations.add(
          new Violation(
              "guardrails.max_duration",
              "guardrails.max_duration ("
                  + DurationText.format(drill.guardrails().maxDuration())
                  + ") is shorter than duration ("
                  + DurationText.format(drill.duration())
                  + ")"));
    }
    if (drill.schedule() != null) {
      checkSchedule(drill.schedule());
    }
  }

  private void checkFaults(List<Fault> faults) {
    if (faults == null || faults.isEmpty()) {
      violations.add(new Violation("faults", "faults: a drill needs at least one fault"));
      return;
    }
    for (int i = 0; i < faults.size(); i++) {
      String at = "faults[" + i + "]";
      Fault fault = faults.get(i);
      if (fault == null) {
        violations.add(new Violation(at, at + " is empty (give it a type)"));
        continue;
      }
      if (fault.toxicity() < 0 || fault.toxicity() > 1) {
        violations.add(new Violation(at + ".toxicity", at + ".toxicity must be between 0 and 1, not " + fault.toxicity()));
      }
      switch (fault) {
        case Fault.Latency latency -> {
          if (required(at + ".latency", latency.latency())) {
            notNegative(at + ".latency", latency.latency());
          }
          notNegative(at + ".jitter", latency.jitter());
        }
        case Fault.Timeout timeout -> {
          if (required(at + ".timeout", timeout.timeout())) {
            notNegative(at + ".timeout", timeout.timeout());
          }
        }
        case Fault.ResetPeer reset -> {
          if (required(at + ".timeout", reset.timeout())) {
            notNegative(at + ".timeout", reset.timeout());
          }
        }
        case Fault.Bandwidth bandwidth -> {
          if (required(at + ".rate", bandwidth.rate()) && bandwidth.rate() < 0) {
            violations.add(new Violation(at + ".rate", at + ".rate must not be negative (KB/s), not " + bandwidth.rate()));
          }
        }
        case Fault.Slicer slicer -> {
          if (required(at + ".average_size", slicer.averageSize()) && slicer.averageSize() <= 0) {
            violations.add(new Violation(at + ".average_size", at + ".average_size must be positive (bytes)"));
          }
          if (slicer.sizeVariation() < 0) {
            violations.add(new Violation(at + ".size_variation", at + ".size_variation must not be negative"));
          }
          notNegative(at + ".delay", slicer.delay());
        }
        case Fault.Down down -> {
          // Nothing to configure: the proxy is disabled.
        }
      }
    }
  }

  private void checkSchedule(DrillSchedule schedule) {
    if (required("schedule.cron", schedule.cron())) {
      try {
        CRON.parse(schedule.cron()).validate();
      } catch (IllegalArgumentException e) {
        violations.add(
            new Violation(
                "schedule.cron",
                "schedule.cron '" + schedule.cron() + "' is not a Unix cron expression (5 fields: minute hour day-of-month month day-of-week): " + e.getMessage()));
      }
    }
    try {
      ZoneId.of(schedule.zone());
    } catch (DateTimeException e) {
      violations.add(new Violation("schedule.zone", "schedule.zone '" + schedule.zone() + "' is not a time zone (e.g. UTC, Europe/Paris)"));
    }
    if (schedule.missedRun() == DrillSchedule.MissedRun.RUN_ONCE_IF_WITHIN) {
      if (required("schedule.missed_run_within", schedule.missedRunWithin())) {
        positive("schedule.missed_run_within", schedule.missedRunWithin());
      }
    } else if (schedule.missedRunWithin() != null) {
      violations.add(
          new Violation(
              "schedule.missed_run_within",
              "schedule.missed_run_within only applies to missed_run: run_once_if_within"));
    }
  }

  private boolean required(String field, Object value) {
    if (value == null || (value instanceof String text && text.isBlank())) {
      missing(field);
      return false;
    }
    return true;
  }

  /** Names end up in znode paths and Toxiproxy proxy names: letters, digits, '.', '_', '-'. */
  private void identifier(String field, String value) {
    if (!IDENTIFIER.matcher(value).matches()) {
      violations.add(
          new Violation(field, field + " '" + value + "' may only use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)"));
    }
  }

  private void missing(String field) {
    violations.add(new Violation(field, "missing required field '" + field + "'"));
  }

  private boolean positive(String field, Duration value) {
    if (value.isNegative() || value.isZero()) {
      violations.add(new Violation(field, field + " must be positive, not " + DurationText.format(value)));
      return false;
    }
    return true;
  }

  private void optionalPositive(String field, Duration value) {
    if (value != null) {
      positive(field, value);
    }
  }

  private void notNegative(String field, Duration value) {
    if (value.isNegative()) {
      violations.add(new Violation(field, field + " must not be negative, not " + DurationText.format(value)));
    }
  }
}
