package dev.dialtone.controlplane.gameday;

import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What a drill sees of the control plane at one instant: this replica's health view and the
 * state in ZooKeeper (registered regions, placement, plan, freeze). Immutable.
 */
public record WorldFrame(
    Instant at,
    HealthSnapshot health,
    Map<String, RegionSpec> regions,
    Optional<Placement> placement,
    Optional<Plan> plan,
    Optional<FreezeSignal> freeze) {

  public WorldFrame {
    regions = Map.copyOf(regions);
  }

  /** Whether a freeze holds now. */
  public boolean frozen() {
    return freeze.filter(f -> f.activeAt(at)).isPresent();
  }

  /** The active region, if traffic is routed (not in outage mode, not before the first placement). */
  public Optional<String> activeRegion() {
    return placement.filter(p -> !p.outageMode()).map(Placement::activeRegion);
  }
}
