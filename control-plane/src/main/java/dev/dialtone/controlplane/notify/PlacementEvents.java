package dev.dialtone.controlplane.notify;

import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events one change of routing makes, a pure function of the routing last told and the
 * routing now committed. Moving the active region away is a failover; moving it back to the
 * preferred region a failback, which resolves the preferred region's failover under the same dedup
 * key ({@code <deployment>:active-region-down:<region>}); outage mode entered and left share
 * {@code <deployment>:outage}.
 */
final class PlacementEvents {
  /** Why a change happened, from the plan and the history entry that committed it. */
  record Cause(String planId, String reason, String principal, Map<String, String> evidence) {
    Cause {
      planId = planId == null ? "" : planId;
      reason = reason == null ? "" : reason;
      principal = principal == null ? "" : principal;
      evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }
  }

  private PlacementEvents() {}

  /** The incident key of {@code region} being down as the active region. */
  static String regionDownKey(String deployment, String region) {
    return deployment + ":active-region-down:" + region;
  }

  static String outageKey(String deployment) {
    return deployment + ":outage";
  }

  /**
   * @param before the routing last told
   * @param after the routing committed
   * @param routed every region routed now, active first (empty in outage mode)
   * @param preferred the routable region of the best priority, where a failback goes
   * @param byPreference every region the store holds, whatever its lifecycle, best priority first:
   *     a move is a failback only toward a better one, so leaving the preferred region (drained, say)
   *     for the only one left routable is not
   * @param fallbackChain the outage-mode destinations in force, described
   * @param changeId what names this change uniquely (the plan id, else the placement's own stamp)
   */
  static List<Notification> between(String deployment, Raised before, Raised after, List<String> routed, String preferred,
      List<String> byPreference, String fallbackChain, Cause cause, String changeId, Instant at) {
    List<Notification> events = new ArrayList<>();
    if (!before.outageMode() && after.outageMode()) {
      Map<String, String> d = details(cause, before.activeRegion(), "outage");
      d.put("fallback", fallbackChain);
      events.add(event(changeId, EventKind.OUTAGE_ENTERED, deployment, "", cause,
          "outage mode entered: no region can serve; calls go to " + fallbackChain, d, outageKey(deployment), at));
    } else if (before.outageMode() && !after.outageMode()) {
      Map<String, String> d = details(cause, "outage", after.activeRegion());
      d.put("fallback", fallbackChain);
      d.put("routing", String.join(" > ", routed));
      events.add(event(changeId, EventKind.OUTAGE_LEFT, deployment, after.activeRegion(), cause,
          "outage mode left: " + after.activeRegion() + " serves again", d, outageKey(deployment), at));
    } else if (!after.outageMode() && before.activeRegion() != null && !before.activeRegion().equals(after.activeRegion())) {
      Map<String, String> d = details(cause, before.activeRegion(), after.activeRegion());
      d.put("routing", String.join(" > ", routed));
      boolean towardPreference = rank(byPreference, after.activeRegion()) < rank(byPreference, before.activeRegion());
      if (after.activeRegion().equals(preferred) && towardPreference) {
        events.add(event(changeId, EventKind.FAILBACK, deployment, preferred, cause,
            "failed back to " + preferred + " from " + before.activeRegion(), d, regionDownKey(deployment, preferred), at));
      } else {
        events.add(event(changeId, EventKind.FAILOVER, deployment, before.activeRegion(), cause,
            before.activeRegion() + " failed over to " + after.activeRegion(), d,
            regionDownKey(deployment, before.activeRegion()), at));
      }
    }
    return events;
  }

  // A region the store no longer holds (deregistered) ranks last.
  private static int rank(List<String> byPreference, String region) {
    int i = byPreference.indexOf(region);
    return i < 0 ? Integer.MAX_VALUE : i;
  }

  private static Map<String, String> details(Cause cause, String from, String to) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("from", from == null ? "" : from);
    d.put("to", to == null ? "" : to);
    d.put("reason", cause.reason());
    d.put("principal", cause.principal());
    cause.evidence().forEach((k, v) -> d.put("evidence." + k, v));
    return d;
  }

  private static Notification event(String changeId, EventKind kind, String deployment, String region, Cause cause,
      String summary, Map<String, String> details, String dedupKey, Instant at) {
    return new Notification(changeId + "-" + kind.wireName().replace('.', '-'), kind, null, deployment, region,
        cause.planId(), summary, details, dedupKey, at);
  }
}
