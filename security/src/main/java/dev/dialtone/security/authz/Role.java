package dev.dialtone.security.authz;

/** What a principal may do, each role including the ones below it. */
public enum Role {
  /** Reads: status, history, reports. */
  VIEWER,
  /** Planned switchover, freeze, drills. */
  OPERATOR,
  /** Forced failover, outage mode, region deregistration. */
  ADMIN;

  public boolean includes(Role required) {
    return compareTo(required) >= 0;
  }
}
