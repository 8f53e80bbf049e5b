package dev.dialtone.controlplane.model;

/** How much the control plane may do on its own. */
public enum Mode {
  /** Shift traffic on confirmed failure. */
  AUTO,
  /** Recommend and alert only; an operator acts. */
  MANUAL,
  /** Change nothing, not even recommendations. */
  FROZEN
}
