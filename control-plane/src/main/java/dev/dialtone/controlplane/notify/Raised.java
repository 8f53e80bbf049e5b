package dev.dialtone.controlplane.notify;

/**
 * What the notifications have been raised for so far, kept in ZooKeeper so a new leader neither
 * repeats nor skips an event: the routing last told (active region or outage mode), the last failed
 * plan told, the last term whose leader was announced, and the last history entry read.
 */
record Raised(String activeRegion, boolean outageMode, String failedPlan, long leaderEpoch, String historyCursor) {
  Raised {
    failedPlan = failedPlan == null ? "" : failedPlan;
    historyCursor = historyCursor == null ? "" : historyCursor;
  }

  Raised withRouting(String active, boolean outage) {
    return new Raised(active, outage, failedPlan, leaderEpoch, historyCursor);
  }

  Raised withFailedPlan(String planId) {
    return new Raised(activeRegion, outageMode, planId, leaderEpoch, historyCursor);
  }

  Raised withCursor(String entry) {
    return new Raised(activeRegion, outageMode, failedPlan, leaderEpoch, entry);
  }

  Raised withLeaderEpoch(long epoch) {
    return new Raised(activeRegion, outageMode, failedPlan, epoch, historyCursor);
  }
}
