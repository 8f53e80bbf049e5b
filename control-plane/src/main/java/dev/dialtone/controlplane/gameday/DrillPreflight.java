package dev.dialtone.controlplane.gameday;

import dev.dialtone.chaos.run.PreflightFacts;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.RegionSpec;

/** The preflight facts of a drill on {@code region}, as a pure function of one {@link WorldFrame}. */
public final class DrillPreflight {
  private DrillPreflight() {}

  /**
   * Standby healthy: another routable region is UP and ready. Plan in flight: the stored plan is
   * PENDING or RUNNING. Frozen: a freeze holds now. Incident elsewhere: another registered region
   * is DOWN (silence, UNKNOWN, is not an incident).
   */
  public static PreflightFacts facts(String region, WorldFrame frame) {
    boolean standbyHealthy = frame.regions().values().stream()
        .filter(r -> !r.id().equals(region) && r.lifecycle().routable())
        .anyMatch(r -> frame.health().region(r.id()).healthy());
    boolean planInFlight = frame.plan().map(p -> p.state().inFlight()).orElse(false);
    boolean incidentElsewhere = frame.regions().values().stream()
        .filter(r -> !r.id().equals(region) && r.lifecycle() != Lifecycle.REMOVED)
        .map(RegionSpec::id)
        .anyMatch(id -> frame.health().region(id).status() == RegionStatus.DOWN);
    return new PreflightFacts(standbyHealthy, planInFlight, frame.frozen(), incidentElsewhere);
  }
}
