package dev.dialtone.controlplane.health;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * One region's health at a snapshot instant.
 *
 * @param regionId the region
 * @param status the aggregate: DOWN if a critical dependency is DOWN, DEGRADED if anything is
 *     degraded, UP if all is up, UNKNOWN when silent for the configured staleness
 * @param ready the agent's readiness from the latest report; {@code false} when UNKNOWN
 * @param dependencies the latest fresh result of each dependency, by name
 * @param lastReportAt when the last accepted report arrived; {@code null} if none ever did
 * @param healthySince start of the current unbroken run of UP-and-ready fresh reports; {@code
 *     null} when not healthy now
 * @param downStreak consecutive accepted reports with the aggregate DOWN (0 when not DOWN)
 * @param upStreak consecutive accepted reports that were UP and ready (0 when not)
 * @param edgeDownSeenBy other regions whose agents currently (fresh) see this region's public edge DOWN
 */
public record RegionHealth(
    String regionId,
    RegionStatus status,
    boolean ready,
    List<DependencyHealth> dependencies,
    Instant lastReportAt,
    Instant healthySince,
    int downStreak,
    int upStreak,
    Set<String> edgeDownSeenBy) {

  public RegionHealth {
    dependencies = List.copyOf(dependencies);
    edgeDownSeenBy = Set.copyOf(edgeDownSeenBy);
  }

  /** A region nothing fresh is known about. */
  public static RegionHealth unknown(String regionId, Instant lastReportAt, Set<String> edgeDownSeenBy) {
    return new RegionHealth(regionId, RegionStatus.UNKNOWN, false, List.of(), lastReportAt, null, 0, 0,
        edgeDownSeenBy);
  }

  /** Fresh, ready and UP or DEGRADED: traffic may be sent here. */
  public boolean serving() {
    return ready && (status == RegionStatus.UP || status == RegionStatus.DEGRADED);
  }

  /** Fresh, ready and UP. */
  public boolean healthy() {
    return ready && status == RegionStatus.UP;
  }

  /** Critical dependencies that are DOWN, by name, for evidence. */
  public List<String> criticalDown() {
    return dependencies.stream()
        .filter(d -> d.critical() && d.status() == RegionStatus.DOWN)
        .map(DependencyHealth::name)
        .toList();
  }
}
