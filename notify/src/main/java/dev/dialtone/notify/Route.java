package dev.dialtone.notify;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which events a receiver gets: those of {@code kinds} (every kind when empty) at or above
 * {@code minSeverity}. An event that resolves an incident passes whatever its severity when the
 * kind it resolves would pass, so a pager that was triggered is also told it may stop.
 */
public record Route(Set<EventKind> kinds, Severity minSeverity) {
  public Route {
    kinds = kinds == null || kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    minSeverity = minSeverity == null ? Severity.INFO : minSeverity;
  }

  /** Every event. */
  public static Route all() {
    return new Route(Set.of(), Severity.INFO);
  }

  /** Whether {@code n} goes to the receiver. */
  public boolean accepts(Notification n) {
    if (!kinds.isEmpty() && !kinds.contains(n.kind())) {
      return false;
    }
    if (n.severity().atLeast(minSeverity)) {
      return true;
    }
    return n.kind().role() == EventKind.Role.RESOLVES && opener(n.kind()).severity().atLeast(minSeverity);
  }

  private static EventKind opener(EventKind resolving) {
    return switch (resolving) {
      case FAILBACK -> EventKind.FAILOVER;
      case OUTAGE_LEFT -> EventKind.OUTAGE_ENTERED;
      case ZOOKEEPER_QUORUM_REGAINED -> EventKind.ZOOKEEPER_QUORUM_LOST;
      default -> resolving;
    };
  }
}
