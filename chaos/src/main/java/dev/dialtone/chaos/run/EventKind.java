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
  FINISHED(false),
  // The takeover timeline of a control-plane step: the leader faulted itself, a new one was elected
  // and took the run over, the plan in flight was resumed or rolled back (traffic verified is the
  // carrier and DNS read-backs after the election).
  LEADER_LOST(false),
  LEADER_ELECTED(false),
  PLAN_RESUMED(true),
  PLAN_ROLLED_BACK(true);

  private final boolean observed;

  EventKind(boolean observed) {
    this.observed = observed;
  }

  /** True for events a {@link DrillWorld} reports; the runner ignores the others from it. */
  public boolean observed() {
    return observed;
  }

  /** True for the control plane's own events (a takeover), shown apart from the dependency timeline. */
  public boolean controlPlane() {
    return this == LEADER_LOST || this == LEADER_ELECTED || this == PLAN_RESUMED || this == PLAN_ROLLED_BACK;
  }
}
