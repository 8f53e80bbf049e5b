package dev.dialtone.controlplane.health;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Every known region's health at one instant; immutable.
 *
 * @param at the instant staleness was judged against
 * @param regions health by region id, one entry per known region
 */
public record HealthSnapshot(Instant at, Map<String, RegionHealth> regions) {
  public HealthSnapshot {
    Objects.requireNonNull(at, "at");
    regions = Map.copyOf(regions);
  }

  /** The region's health; UNKNOWN if the snapshot has nothing on it. */
  public RegionHealth region(String id) {
    RegionHealth h = regions.get(id);
    return h != null ? h : RegionHealth.unknown(id, null, Set.of());
  }
}
