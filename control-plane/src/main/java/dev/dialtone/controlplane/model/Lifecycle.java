package dev.dialtone.controlplane.model;

/** Where a region is in its life: {@code PROVISIONING → STANDBY ⇄ ACTIVE}, {@code DRAINING → REMOVED}. */
public enum Lifecycle {
  /** Registered, not yet proven healthy; never routed. */
  PROVISIONING,
  /** Proven; may take traffic when the policy picks it. */
  STANDBY,
  /** Taking traffic. */
  ACTIVE,
  /** Being taken out of service: never a new target. */
  DRAINING,
  /** Out of service; kept for history. */
  REMOVED;

  /** Whether traffic may be sent to a region in this state. */
  public boolean routable() {
    return this == STANDBY || this == ACTIVE;
  }
}
