package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.PlanState;
import dev.dialtone.proto.v1.PlanSummary;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether a switchover or failover that was answered actually moved traffic and still holds: a
 * plan that ended other than SUCCEEDED, or a routing that has moved on by the time the CLI looks
 * again, is not a success (exit 1), whatever the answer's reason says.
 */
final class ShiftOutcome {
  private ShiftOutcome() {}

  static Optional<String> problem(String to, boolean dryRun, Optional<PlanSummary> plan, Supplier<GetStatusResponse> status) {
    if (dryRun || plan.isEmpty()) {
      return Optional.empty(); // nothing was meant to move (a dry run, or the region was already active)
    }
    PlanSummary p = plan.get();
    if (p.getState() != PlanState.PLAN_STATE_SUCCEEDED) {
      return status.get().getRecommendOnly() ? Optional.empty()
          : Optional.of("plan " + p.getPlanId() + (terminal(p.getState()) ? " ended " : " is still ")
              + p.getState().name().replace("PLAN_STATE_", "") + "; traffic is not on " + to
              + (terminal(p.getState()) ? "" : " yet") + " (dialtone history --plan " + p.getPlanId() + ")");
    }
    String active = status.get().getPlacement().getActiveRegion();
    if (!to.equals(active)) {
      return Optional.of("plan " + p.getPlanId() + " SUCCEEDED, but routing has moved on since: "
          + (active.isEmpty() ? "outage mode" : active + " is active") + ", not " + to
          + "; the shift did not hold (dialtone history shows why)");
    }
    return Optional.empty();
  }

  private static boolean terminal(PlanState s) {
    return s == PlanState.PLAN_STATE_FAILED || s == PlanState.PLAN_STATE_ROLLED_BACK || s == PlanState.PLAN_STATE_FENCED;
  }
}
