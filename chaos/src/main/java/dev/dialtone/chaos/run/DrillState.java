package dev.dialtone.chaos.run;

/** Where a drill run is; the last four are final. */
public enum DrillState {
  PREFLIGHT,
  RUNNING,
  HEALING,
  PASSED,
  FAILED,
  ABORTED,
  SKIPPED;

  public boolean isFinal() {
    return ordinal() >= PASSED.ordinal();
  }
}
