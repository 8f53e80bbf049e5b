package dev.dialtone.controlplane.policy;

import java.util.List;

/** The placement policy: a pure function of a {@link PolicyInput} to a {@link Decision}. */
public final class PlacementPolicy {

  /** What to do now. */
  public Decision decide(PolicyInput in) {
    return new Decision.NoChange("placement policy rules are being written; nothing moves");
  }

  /** An operator's switchover to {@code to}; {@code force} skips only the target-health rule. */
  public Decision manualSwitchover(PolicyInput in, String to, boolean force) {
    return new Decision.NoChange("placement policy rules are being written; nothing moves");
  }

  /** Lifecycle moves due now, e.g. PROVISIONING regions healthy long enough to become STANDBY. */
  public List<LifecycleChange> lifecycleChanges(PolicyInput in) {
    return List.of();
  }
}
