package dev.dialtone.controlplane.model;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where traffic goes now: one active region and its standbys in fallback order, or outage mode.
 *
 * @param activeRegion the region taking traffic; {@code null} in outage mode
 * @param standbys routed fallbacks after the active region, most preferred first
 * @param outageMode whether calls go to the fallback destinations because no region is healthy
 * @param epoch the leadership epoch that wrote this placement ({@code 0} before any leader)
 * @param changedAt when this placement was decided
 * @param lastAutomaticShiftAt when the policy last moved traffic by itself, for the hold-down;
 *     {@code null} if never
 */
public record Placement(
    String activeRegion,
    List<String> standbys,
    boolean outageMode,
    long epoch,
    Instant changedAt,
    Instant lastAutomaticShiftAt) {

  public Placement {
    standbys = List.copyOf(Objects.requireNonNull(standbys, "placement: standbys"));
    Objects.requireNonNull(changedAt, "placement: changedAt");
    if (epoch < 0) {
      throw new IllegalArgumentException("placement: epoch must be >= 0 (was " + epoch + ")");
    }
    if (outageMode && activeRegion != null) {
      throw new IllegalArgumentException(
          "placement: outage mode has no active region (was " + activeRegion + ")");
    }
    if (!outageMode && (activeRegion == null || activeRegion.isBlank())) {
      throw new IllegalArgumentException("placement: an active region is required unless in outage mode");
    }
    var seen = new HashSet<String>();
    if (activeRegion != null) {
      seen.add(activeRegion);
    }
    for (String s : standbys) {
      if (s.isBlank()) {
        throw new IllegalArgumentException("placement: blank standby region id");
      }
      if (!seen.add(s)) {
        throw new IllegalArgumentException("placement: region " + s + " listed twice");
      }
    }
  }

  /** A first placement (epoch 0, never shifted automatically) with {@code active} taking traffic. */
  public static Placement initial(String active, List<String> standbys, Instant at) {
    return new Placement(active, standbys, false, 0, at, null);
  }

  /**
   * A first placement from the registered regions: routable regions by preference, the most
   * preferred active; outage mode if none is routable.
   */
  public static Placement initial(Collection<RegionSpec> regions, Instant at) {
    List<String> order =
        regions.stream()
            .filter(r -> r.lifecycle().routable())
            .sorted(RegionSpec.BY_PREFERENCE)
            .map(RegionSpec::id)
            .toList();
    if (order.isEmpty()) {
      return new Placement(null, List.of(), true, 0, at, null);
    }
    return initial(order.get(0), order.subList(1, order.size()), at);
  }

  /** Whether a plan committed it (epoch > 0); an {@link #initial} placement is what the policy starts from. */
  public boolean placed() {
    return epoch > 0;
  }

  /** Routed regions, active first; empty in outage mode. */
  public List<String> routed() {
    if (outageMode) {
      return List.of();
    }
    var all = new ArrayList<String>(standbys.size() + 1);
    all.add(activeRegion);
    all.addAll(standbys);
    return List.copyOf(all);
  }

  /**
   * The placement after routing to {@code order} (active first).
   *
   * @param automatic whether the policy decided it by itself (a move of the active region starts a
   *     new hold-down; a change of standbys alone does not)
   */
  public Placement routedTo(List<String> order, long newEpoch, Instant at, boolean automatic) {
    if (order.isEmpty()) {
      throw new IllegalArgumentException("placement: routing needs at least one region; use outage()");
    }
    boolean moved = outageMode || !order.get(0).equals(activeRegion);
    return new Placement(
        order.get(0), order.subList(1, order.size()), false, newEpoch, at,
        automatic && moved ? at : lastAutomaticShiftAt);
  }

  /** The placement after entering outage mode. */
  public Placement outage(long newEpoch, Instant at, boolean automatic) {
    return new Placement(null, List.of(), true, newEpoch, at, automatic ? at : lastAutomaticShiftAt);
  }

  /**
   * This placement as the actuators' target.
   *
   * @throws IllegalArgumentException if a routed region is not in {@code regions}
   */
  public TrafficTarget toTarget(Map<String, RegionSpec> regions) {
    if (outageMode) {
      return new TrafficTarget.Outage();
    }
    var edges = new ArrayList<RegionEdge>();
    for (String id : routed()) {
      RegionSpec spec = regions.get(id);
      if (spec == null) {
        throw new IllegalArgumentException("placement routes to unknown region " + id);
      }
      edges.add(spec.edge());
    }
    return new TrafficTarget.Routed(edges);
  }
}
