package dev.dialtone.notify;

/**
 * What happened, with its usual severity and its part in an incident: an event that {@link
 * Role#OPENS} one (failover, outage entered) is later {@link Role#RESOLVES resolved} by its
 * counterpart under the same dedup key (failback, outage left, ZooKeeper regained); {@link
 * Role#NOTES} stand alone.
 */
public enum EventKind {
  FAILOVER(Severity.CRITICAL, Role.OPENS),
  FAILBACK(Severity.INFO, Role.RESOLVES),
  OUTAGE_ENTERED(Severity.CRITICAL, Role.OPENS),
  OUTAGE_LEFT(Severity.WARNING, Role.RESOLVES),
  PLAN_FAILED(Severity.ERROR, Role.NOTES),
  ACTUATOR_LAGGING(Severity.WARNING, Role.NOTES),
  FENCED_WRITE_REFUSED(Severity.ERROR, Role.NOTES),
  LEADER_GAINED(Severity.INFO, Role.NOTES),
  LEADER_LOST(Severity.WARNING, Role.NOTES),
  AGENT_SILENT(Severity.WARNING, Role.NOTES),
  DRILL_STARTED(Severity.INFO, Role.NOTES),
  DRILL_PASSED(Severity.INFO, Role.NOTES),
  DRILL_FAILED(Severity.ERROR, Role.NOTES),
  DRILL_ABORTED(Severity.WARNING, Role.NOTES),
  ZOOKEEPER_QUORUM_LOST(Severity.CRITICAL, Role.OPENS),
  ZOOKEEPER_QUORUM_REGAINED(Severity.INFO, Role.RESOLVES),
  CERTIFICATE_EXPIRING(Severity.WARNING, Role.NOTES);

  /** An event's part in an incident. */
  public enum Role {
    /** Starts (or re-triggers) an incident under its dedup key. */
    OPENS,
    /** Ends the incident its dedup key names. */
    RESOLVES,
    /** Stands alone. */
    NOTES
  }

  private final Severity severity;
  private final Role role;

  EventKind(Severity severity, Role role) {
    this.severity = severity;
    this.role = role;
  }

  /** The severity an event of this kind has unless its source says otherwise. */
  public Severity severity() {
    return severity;
  }

  public Role role() {
    return role;
  }

  /** The lower-case, dotted name receivers see, e.g. {@code outage.entered}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '.');
  }
}
