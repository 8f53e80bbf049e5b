package dev.dialtone.chaos.run;

/**
 * Where a drill run is; PASSED and after are final. HANDED_OVER ends a run on the leader that
 * faulted itself (a control-plane step): the next leader resumes it from its checkpoint and reports it.
 */
public enum DrillState {
  PREFLIGHT,
  RUNNING,
  HEALING,
  PASSED,
  FAILED,
  ABORTED,
  SKIPPED,
  HANDED_OVER;

  /** Whether the run ended on this replica (a handed-over run goes on elsewhere). */
  public boolean isFinal() {
    return ordinal() >= PASSED.ordinal();
  }

  /** Whether the run is over everywhere: final and not handed over to the next leader. */
  public boolean concluded() {
    return isFinal() && this != HANDED_OVER;
  }
}
