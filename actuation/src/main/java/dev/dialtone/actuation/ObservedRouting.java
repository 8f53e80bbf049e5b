package dev.dialtone.actuation;

import java.util.List;

/**
 * What an actuator's target holds now, read back from the server.
 *
 * @param regionIds regions in the order the target routes to them (active first); empty in outage
 * @param outageMode whether the target holds the outage-mode fallback
 * @param ownerEpoch the epoch recorded at the target (ownership record), or {@code 0} if none
 * @param detail a one-line description of what was read, for status and logs
 */
public record ObservedRouting(List<String> regionIds, boolean outageMode, long ownerEpoch, String detail) {
  public ObservedRouting {
    regionIds = List.copyOf(regionIds);
  }

  /** Whether this is what {@code target} asks for. */
  public boolean matches(TrafficTarget target) {
    return switch (target) {
      case TrafficTarget.Outage o -> outageMode;
      case TrafficTarget.Routed r ->
          !outageMode && regionIds.equals(r.regions().stream().map(RegionEdge::regionId).toList());
    };
  }
}
