package dev.dialtone.controlplane.state;

import java.time.Instant;
import java.util.Map;

/**
 * One thing that happened, with why; {@code id} is the ZooKeeper sequence (empty before it is
 * written).
 */
public record HistoryEntry(
    String id,
    Instant at,
    HistoryKind kind,
    long epoch,
    String planId,
    String principal,
    String summary,
    String reason,
    Map<String, String> evidence) {
  public HistoryEntry {
    id = id == null ? "" : id;
    planId = planId == null ? "" : planId;
    principal = principal == null ? "" : principal;
    summary = summary == null ? "" : summary;
    reason = reason == null ? "" : reason;
    evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
  }

  /** An entry not yet written. */
  public static HistoryEntry of(
      Instant at, HistoryKind kind, long epoch, String planId, String principal, String summary, String reason,
      Map<String, String> evidence) {
    return new HistoryEntry("", at, kind, epoch, planId, principal, summary, reason, evidence);
  }

  HistoryEntry withId(String newId) {
    return new HistoryEntry(newId, at, kind, epoch, planId, principal, summary, reason, evidence);
  }
}
