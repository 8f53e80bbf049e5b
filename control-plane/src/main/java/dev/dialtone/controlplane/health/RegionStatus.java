package dev.dialtone.controlplane.health;

/** A region's aggregate health as one replica sees it. */
public enum RegionStatus {
  /** Every dependency UP, and reports are fresh. */
  UP,
  /** Serving, but some dependency is degraded, down (not critical) or without a verdict yet. */
  DEGRADED,
  /** A critical dependency is DOWN: the region cannot serve calls. */
  DOWN,
  /** No fresh report: silence, which is not failure. */
  UNKNOWN
}
