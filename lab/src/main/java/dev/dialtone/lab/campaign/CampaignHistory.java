package dev.dialtone.lab.campaign;

import java.time.Instant;
import java.util.List;

/**
 * Everything one schedule did and saw, which is all the checker reads: the faults as injected and
 * healed (lab clock), the control plane's history from ZooKeeper in commit order, the lab calls'
 * failures, and the operator actions the campaign made.
 */
public record CampaignHistory(
    List<FaultWindow> faults, List<Entry> entries, long callsPlaced, List<Instant> callFailures, List<Action> actions) {
  public CampaignHistory {
    faults = List.copyOf(faults);
    entries = List.copyOf(entries);
    callFailures = List.copyOf(callFailures);
    actions = List.copyOf(actions);
  }

  /** A fault as it happened: {@code target} names the process or proxy hit; healedAt null if never healed. */
  public record FaultWindow(PlannedFault fault, String target, Instant injectedAt, Instant healedAt) {}

  /**
   * A control-plane history entry.
   *
   * @param sequence the ZooKeeper sequence (commit order)
   * @param placementBefore the {@code placement} evidence of a decision ({@code us-east > us-west}, {@code OUTAGE}), else empty
   */
  public record Entry(long sequence, Instant at, String kind, long epoch, String principal, String summary, String reason,
      String placementBefore) {}

  /** An operator action the campaign made and whether the control plane accepted it. */
  public record Action(FaultKind kind, String detail, Instant at, boolean accepted) {}
}
