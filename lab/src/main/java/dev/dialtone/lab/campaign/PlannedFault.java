package dev.dialtone.lab.campaign;

import java.time.Duration;

/**
 * One fault of a schedule: what, where (a region and dependency for regional faults, empty
 * otherwise), how long after the schedule starts, and how long it stays in.
 */
public record PlannedFault(FaultKind kind, String region, String dependency, Duration after, Duration hold) {
  public PlannedFault {
    region = region == null ? "" : region;
    dependency = dependency == null ? "" : dependency;
  }

  /** One line, e.g. {@code DEPENDENCY_DOWN us-east/db at +1.2s for 4.0s}. */
  public String describe() {
    String where = region.isEmpty() ? (dependency.isEmpty() ? "" : " " + dependency)
        : " " + region + (dependency.isEmpty() ? "" : "/" + dependency);
    return kind + where + " at +" + seconds(after) + " for " + seconds(hold);
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
