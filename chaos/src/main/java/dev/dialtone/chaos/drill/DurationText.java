package dev.dialtone.chaos.drill;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in drill files: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or ISO-8601. */
public final class DurationText {
  private static final Pattern SHORT = Pattern.compile("(-?\\d+)\\s*(ms|s|m|h)");

  private DurationText() {}

  /** Parses a duration; negative values parse so that validation can name them. */
  public static Duration parse(String text) {
    String trimmed = text.trim();
    if (trimmed.equals("0")) {
      return Duration.ZERO;
    }
    Matcher matcher = SHORT.matcher(trimmed);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
    }
    try {
      return Duration.parse(trimmed);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (write e.g. 500ms, 30s, 5m, 1h)", e);
    }
  }

  /** Formats a duration the short way: {@code 1500ms}, {@code 30s}, {@code 5m}. */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.toMillis() % 60_000 == 0 && duration.toMinutes() % 60 != 0) {
      return duration.toMinutes() + "m";
    }
    if (duration.toMillis() % 3_600_000 == 0) {
      return duration.toHours() + "h";
    }
    if (duration.toMillis() % 1000 == 0) {
      return duration.toSeconds() + "s";
    }
    return duration.toMillis() + "ms";
  }
}
