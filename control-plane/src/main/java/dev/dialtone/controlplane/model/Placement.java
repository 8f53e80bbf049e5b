package dev.dialtone.controlplane.model;

import com.fasterxml.jackson.annotation.JsonAlias;
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
 * @param lastShiftAt when the active region last moved, by the policy or by an operator (not a
 *     first placement), for the hold-down; {@code null} if never. Stored as
 *     {@code lastAutomaticShiftAt} by earlier versions, which counted only the policy's shifts.
 * @param operatorChoice the operator's switchover or failover that set the active region, which
 *     automatic failback leaves alone for {@code failback.manualHoldFor}; {@code null} once the
 *     policy has moved the active region itself
 */
public record Placement(
    String activeRegion,
    List<String> standbys,
    boolean outageMode,
    long epoch,
    Instant changedAt,
    @JsonAlias("lastAutomaticShiftAt") Instant lastShiftAt,
    OperatorChoice operatorChoice) {

  /** Who moved the active region by hand, to where ({@code null}: into outage mode), and when. */
  public record OperatorChoice(String region, String principal, Instant at) {
    public OperatorChoice {
      Objects.requireNonNull(principal, "operator choice: principal");
      Objects.requireNonNull(at, "operator choice: at");
    }
  }

  /** What moved a placement: the policy by itself, an operator, or neither (a first placement, a rollback). */
  public enum Mover { POLICY, OPERATOR, NONE }

  /** A placement no operator has chosen. */
  public Placement(String activeRegion, List<String> standbys, boolean outageMode, long epoch, Instant changedAt,
      Instant lastShiftAt) {
    this(activeRegion, standbys, outageMode, epoch, changedAt, lastShiftAt, null);
  }

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
    if (operatorChoice != null && !Objects.equals(operatorChoice.region(), activeRegion)) {
      operatorChoice = null; // the choice no longer holds once traffic left the region chosen
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
   * @param mover who decided it: a move of the active region by the policy or an operator starts
   *     a new hold-down (a change of standbys alone does not); an operator's move is remembered as
   *     their choice, a move by the policy forgets it
   * @param principal who, for an operator's move
   */
  public Placement routedTo(List<String> order, long newEpoch, Instant at, Mover mover, String principal) {
    if (order.isEmpty()) {
      throw new IllegalArgumentException("placement: routing needs at least one region; use outage()");
    }
    boolean moved = outageMode || !order.get(0).equals(activeRegion);
    OperatorChoice choice = !moved ? operatorChoice
        : mover == Mover.OPERATOR ? new OperatorChoice(order.get(0), principal, at) : null;
    return new Placement(
        order.get(0), order.subList(1, order.size()), false, newEpoch, at,
        moved && mover != Mover.NONE ? at : lastShiftAt, choice);
  }

  /** The placement after entering outage mode; an operator's entry is remembered as their choice. */
  public Placement outage(long newEpoch, Instant at, Mover mover, String principal) {
    if (outageMode) {
      return this;
    }
    return new Placement(null, List.of(), true, newEpoch, at, mover != Mover.NONE ? at : lastShiftAt,
        mover == Mover.OPERATOR ? new OperatorChoice(null, principal, at) : null);
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
