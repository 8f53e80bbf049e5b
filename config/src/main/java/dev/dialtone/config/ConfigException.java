package dev.dialtone.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A file the process refuses to start with: every problem found, each one line naming file, line
 * and field. Processes exit with {@link #EXIT_CODE} ({@code EX_CONFIG} from sysexits.h).
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The exit status of a process refusing its configuration. */
  public static final int EXIT_CODE = 78;

  private final transient List<Problem> problems;

  public ConfigException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** One problem with a file, without a line (e.g. it cannot be read). */
  public static ConfigException of(String file, String field, String message) {
    return new ConfigException(List.of(new Problem(file, 1, field, message)));
  }

  public List<Problem> problems() {
    return problems;
  }
}
