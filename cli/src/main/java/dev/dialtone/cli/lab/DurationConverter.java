package dev.dialtone.cli.lab;

import dev.dialtone.config.Durations;
import java.time.Duration;
import picocli.CommandLine;

/** Reads a command-line duration in the config files' one syntax (500ms, 30s, 10m, 1h). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
