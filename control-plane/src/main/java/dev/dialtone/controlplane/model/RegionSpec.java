package dev.dialtone.controlplane.model;

import dev.dialtone.actuation.RegionEdge;
import java.time.Instant;
import java.util.Comparator;
import java.util.Objects;

/**
 * A region as the control plane knows it.
 *
 * @param id the region's id, e.g. {@code us-east}
 * @param priority preference for traffic: lower is preferred ({@code 1} is the primary)
 * @param edge the public edge DNS and carriers route to; its region id equals {@code id}
 * @param lifecycle where the region is in its life
 * @param lifecycleSince when it entered {@code lifecycle}
 */
public record RegionSpec(String id, int priority, RegionEdge edge, Lifecycle lifecycle, Instant lifecycleSince) {

  /** Most preferred first: by priority, ties by id so the order is total and stable. */
  public static final Comparator<RegionSpec> BY_PREFERENCE =
      Comparator.comparingInt(RegionSpec::priority).thenComparing(RegionSpec::id);

  public RegionSpec {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("region id must not be blank");
    }
    Objects.requireNonNull(edge, () -> "region " + id + ": edge");
    Objects.requireNonNull(lifecycle, () -> "region " + id + ": lifecycle");
    Objects.requireNonNull(lifecycleSince, () -> "region " + id + ": lifecycleSince");
    if (!edge.regionId().equals(id)) {
      throw new IllegalArgumentException(
          "region " + id + ": edge belongs to region " + edge.regionId());
    }
    if (priority < 0) {
      throw new IllegalArgumentException("region " + id + ": priority must be >= 0 (was " + priority + ")");
    }
  }

  /** This region in another lifecycle state from {@code at}. */
  public RegionSpec withLifecycle(Lifecycle next, Instant at) {
    return new RegionSpec(id, priority, edge, next, at);
  }
}
