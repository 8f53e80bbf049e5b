package dev.dialtone.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The metric names the alert rules and the dashboard are written against
 * ({@code deploy/monitoring/metrics.txt}), by section, so a process's catalogue and that list
 * cannot drift apart unnoticed.
 */
public final class MonitoredMetrics {
  private MonitoredMetrics() {}

  /** The list, found from a module's directory (the working directory of its tests). */
  public static Path file() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("deploy/monitoring/metrics.txt");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("deploy/monitoring/metrics.txt not found above " + Path.of("").toAbsolutePath());
  }

  /**
   * The {@code dialtone_*} families of the section whose header line ({@code # --- <section>})
   * starts with {@code section}, with their label names (without {@code quantile}).
   */
  public static Map<String, Set<String>> section(Path file, String section) throws IOException {
    Map<String, Set<String>> families = new TreeMap<>();
    boolean in = false;
    for (String line : Files.readAllLines(file)) {
      if (line.startsWith("# --- ")) {
        in = line.substring("# --- ".length()).startsWith(section);
        continue;
      }
      String body = line.replaceFirst("#.*", "").trim();
      if (!in || body.isEmpty()) {
        continue;
      }
      String[] cols = body.split("\\s+");
      if (cols.length < 3) {
        throw new IllegalArgumentException(file + ": '" + line + "' is not 'name type labels'");
      }
      families.put(cols[0], cols[2].equals("-") ? Set.of() : Arrays.stream(cols[2].split(","))
          .filter(l -> !l.equals("quantile")).collect(Collectors.toCollection(java.util.TreeSet::new)));
    }
    return families;
  }
}
