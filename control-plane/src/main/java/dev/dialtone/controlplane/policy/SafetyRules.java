package dev.dialtone.controlplane.policy;

import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.model.RegionSpec;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;

/**
 * The rules every routing decision must pass before a plan runs, whoever proposed it: only
 * routable, healthy and ready regions; zero regions only by entering outage mode and only when
 * no region can serve; no automatic shift within the hold-down after any shift of the active region.
 */
public final class SafetyRules {

  /** Whether {@code region} may take traffic: registered, STANDBY or ACTIVE, fresh, ready, UP or DEGRADED. */
  public static boolean canServe(PolicyInput in, String region) {
    RegionSpec spec = in.regions().get(region);
    return spec != null && spec.lifecycle().routable() && in.health().region(region).serving();
  }

  /** When the hold-down after the last shift (automatic or by hand) ends; {@code null} if there is none now. */
  public static Instant holdDownUntil(PolicyInput in) {
    Instant last = in.placement().lastShiftAt();
    if (last == null) {
      return null;
    }
    Instant until = last.plus(in.config().holdDown());
    return in.now().isBefore(until) ? until : null;
  }

  /**
   * Why {@code decision} is unsafe, or empty if it passes.
   *
   * @param automatic whether the policy proposed it by itself (the hold-down applies)
   * @param forcedTarget a region an operator forced, exempt from the health rule only; or {@code null}
   */
  public Optional<String> violation(PolicyInput in, Decision decision, boolean automatic, String forcedTarget) {
    return switch (decision) {
      case Decision.Shift s -> routing(in, s.order(), forcedTarget)
          // The hold-down damps moves of the active region; a change of standbys alone is not one.
          .or(() -> automatic && !s.from().equals(s.to()) && holdDownUntil(in) != null
              ? Optional.of("an automatic shift inside the hold-down (until " + holdDownUntil(in) + ")")
              : Optional.empty());
      case Decision.LeaveOutage l -> routing(in, l.order(), forcedTarget);
      case Decision.EnterOutage e -> in.regions().keySet().stream().filter(id -> canServe(in, id)).sorted()
          .findFirst().map(id -> "outage mode while " + id + " can serve");
      case Decision.Recommend r -> violation(in, r.wouldDo(), automatic, forcedTarget);
      case Decision.NoChange n -> Optional.empty();
      case Decision.HoldStill h -> Optional.empty();
    };
  }

  private Optional<String> routing(PolicyInput in, List<String> order, String forcedTarget) {
    if (order.isEmpty()) {
      return Optional.of("routing to zero regions outside outage mode");
    }
    if (new HashSet<>(order).size() != order.size()) {
      return Optional.of("a region listed twice in " + order);
    }
    for (String id : order) {
      RegionSpec spec = in.regions().get(id);
      if (spec == null) {
        return Optional.of("routing to unregistered region " + id);
      }
      if (!spec.lifecycle().routable()) {
        return Optional.of("routing to " + id + ", which is " + spec.lifecycle());
      }
      RegionHealth h = in.health().region(id);
      if (!h.serving() && !id.equals(forcedTarget)) {
        return Optional.of("routing to " + id + ", which is " + PlacementPolicy.describe(h));
      }
    }
    return Optional.empty();
  }
}
