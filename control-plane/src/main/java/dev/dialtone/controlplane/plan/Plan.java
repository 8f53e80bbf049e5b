package dev.dialtone.controlplane.plan;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A shift as a list of idempotent steps (each actuator in order, carrier before DNS, then one
 * verify step), written to ZooKeeper before it starts and after every step.
 *
 * @param epoch the epoch running it now (a new leader that adopts the plan re-stamps it)
 * @param route the regions to route to, active first; empty means outage mode
 * @param automatic whether the policy (not an operator) started it, for the hold-down window
 */
public record Plan(
    String id,
    long epoch,
    String description,
    String reason,
    String principal,
    boolean automatic,
    List<RegionEdge> route,
    PlanState state,
    List<PlanStep> steps,
    Instant createdAt) {

  public Plan {
    route = List.copyOf(route);
    steps = List.copyOf(steps);
  }

  /** A pending plan: one step per actuator (apply, then read back), in the given order. */
  public static Plan create(
      String id, long epoch, TrafficTarget target, String reason, String principal, boolean automatic,
      List<String> actuatorNames, Instant now) {
    List<PlanStep> steps = new ArrayList<>();
    for (String a : actuatorNames) {
      steps.add(new PlanStep("apply " + a, a, PlanState.PENDING, 0, ""));
    }
    List<RegionEdge> route = switch (target) {
      case TrafficTarget.Routed r -> r.regions();
      case TrafficTarget.Outage o -> List.of();
    };
    return new Plan(id, epoch, "route " + target.describe(), reason, principal, automatic, route,
        PlanState.PENDING, steps, now);
  }

  public TrafficTarget target() {
    return route.isEmpty() ? new TrafficTarget.Outage() : new TrafficTarget.Routed(route);
  }

  public Plan withState(PlanState newState) {
    return new Plan(id, epoch, description, reason, principal, automatic, route, newState, steps, createdAt);
  }

  public Plan withStep(int index, PlanStep step) {
    List<PlanStep> s = new ArrayList<>(steps);
    s.set(index, step);
    return new Plan(id, epoch, description, reason, principal, automatic, route, state, s, createdAt);
  }

  /** The same plan taken over by a new leader: every unfinished step is run again under {@code newEpoch}. */
  public Plan adoptedBy(long newEpoch) {
    // Steps already applied under the old epoch run again: ownership records must move to the new
    // epoch, and every step is idempotent.
    List<PlanStep> s = steps.stream().map(st -> st.with(PlanState.PENDING, st.attempts(), st.error())).toList();
    return new Plan(id, newEpoch, description, reason, principal, automatic, route, PlanState.PENDING, s, createdAt);
  }
}
