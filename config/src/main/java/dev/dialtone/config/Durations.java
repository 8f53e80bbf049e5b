package dev.dialtone.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of every Dialtone file: a whole number with a unit ({@code 500ms},
 * {@code 30s}, {@code 5m}, {@code 1h}) or ISO-8601 ({@code PT30S}); {@code 0} alone means zero.
 * A bare number is refused (is {@code 30} seconds or milliseconds?), so is a negative one.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

  /** What an operator may write, for error messages. */
  public static final String SYNTAX = "a whole number with a unit: 500ms, 30s, 5m, 1h (or ISO-8601 PT30S)";

  private Durations() {}

  /** Parses {@code text}, or throws {@link IllegalArgumentException} saying what is allowed. */
  public static Duration parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = SHORT.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    if (t.matches("-?\\d+(\\.\\d+)?")) {
      throw new IllegalArgumentException("'" + t + "' has no unit; write " + SYNTAX);
    }
    if (t.startsWith("-")) {
      throw new IllegalArgumentException("'" + t + "' is negative; write " + SYNTAX);
    }
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t);
        if (d.isNegative()) {
          throw new IllegalArgumentException("'" + t + "' is negative; write " + SYNTAX);
        }
        return d;
      } catch (DateTimeParseException e) {
        // fall through to the common message
      }
    }
    throw new IllegalArgumentException("'" + t + "' is not a duration; write " + SYNTAX);
  }

  /** Formats the short way: {@code 1500ms}, {@code 30s}, {@code 5m}, {@code 2h}; {@code 0s} for zero. */
  public static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long ms = d.toMillis();
    if (ms % 3_600_000 == 0) {
      return d.toHours() + "h";
    }
    if (ms % 60_000 == 0) {
      return d.toMinutes() + "m";
    }
    if (ms % 1000 == 0) {
      return d.toSeconds() + "s";
    }
    return ms + "ms";
  }
}
