package dev.dialtone.controlplane.model;

/** Whether traffic returns to the preferred region by itself once it is healthy again. */
public enum FailbackMode {
  /** After the preferred region has been healthy for the configured time. */
  AUTOMATIC,
  /** Only by an operator's switchover. */
  MANUAL
}
