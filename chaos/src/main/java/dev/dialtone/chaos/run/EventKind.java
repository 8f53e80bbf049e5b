package dev.dialtone.chaos.run;

/** What happened during a drill; the world reports the observable ones, the runner the rest. */
public enum EventKind {
  PREFLIGHT_PASSED(false),
  PREFLIGHT_REFUSED(false),
  FAULT_INJECTED(false),
  INJECTION_FAILED(false),
  FIRST_FAILED_PROBE(true),
  REGION_DOWN(true),
  DECISION(true),
  CARRIER_SHIFTED(true),
  DNS_SHIFTED(true),
  OUTAGE_MODE_ENTERED(true),
  LAB_CALL_FAILED(true),
  INCIDENT_ELSEWHERE(true),
  BREACH(false),
  ABORTED(false),
  HEALED(false),
  HEAL_FAILED(false),
  FAILED_BACK(true),
  FINISHED(false);

  private final boolean observed;

  EventKind(boolean observed) {
    this.observed = observed;
  }

  /** True for events a {@link DrillWorld} reports; the runner ignores the others from it. */
  public boolean observed() {
    return observed;
  }
}
