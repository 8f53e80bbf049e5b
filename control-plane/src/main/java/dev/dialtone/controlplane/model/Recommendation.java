package dev.dialtone.controlplane.model;

import java.time.Instant;

/**
 * What a recommend-only replica would have done: the placement the policy chose, never applied to
 * any actuator and never committed as the deployment's placement. The policy reasons on it as if
 * it were the placement, so its next recommendation follows from this one.
 *
 * @param placement the recommended placement
 * @param planId the plan it would have run
 * @param reason the decision's reason
 * @param at when
 */
public record Recommendation(Placement placement, String planId, String reason, Instant at) {
  /** E.g. {@code us-west > us-east} or {@code OUTAGE}. */
  public String describe() {
    return placement.outageMode() ? "OUTAGE" : String.join(" > ", placement.routed());
  }
}
