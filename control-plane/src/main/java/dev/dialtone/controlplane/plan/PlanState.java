package dev.dialtone.controlplane.plan;

/** A plan's or a step's state (mirrors {@code dialtone.v1.PlanState}). */
public enum PlanState {
  PENDING,
  RUNNING,
  SUCCEEDED,
  FAILED,
  ROLLED_BACK,
  FENCED;

  /** Whether nothing more will happen to it on its own (FAILED is terminal but resumable by hand). */
  public boolean inFlight() {
    return this == PENDING || this == RUNNING;
  }
}
