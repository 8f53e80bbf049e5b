package dev.dialtone.notify;

/** How urgent an event is, lowest first; the names PagerDuty's {@code payload.severity} takes, upper-cased. */
public enum Severity {
  INFO,
  WARNING,
  ERROR,
  CRITICAL;

  /** Whether this is at least {@code minimum}. */
  public boolean atLeast(Severity minimum) {
    return compareTo(minimum) >= 0;
  }
}
