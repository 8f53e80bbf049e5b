package dev.dialtone.notify;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One event to tell receivers about.
 *
 * @param id unique and stable per event (the same after a leader change), so receivers can drop a
 *     repeat: sent as the webhook's {@code id}, an e-mail header, and part of PagerDuty's dedup key
 *     for events that open no incident
 * @param kind what happened
 * @param severity how urgent
 * @param deployment the deployment it happened in
 * @param region the region it is about; empty when none (outage mode, leadership)
 * @param planId the plan that made it happen; empty when none
 * @param summary one line an engineer reads first
 * @param details the reason, the evidence and whatever else explains it, in a stable order
 * @param dedupKey the incident it belongs to: an event that opens one and the one that resolves it share it
 * @param occurredAt when it happened
 */
public record Notification(
    String id,
    EventKind kind,
    Severity severity,
    String deployment,
    String region,
    String planId,
    String summary,
    Map<String, String> details,
    String dedupKey,
    Instant occurredAt) {
  public Notification {
    Objects.requireNonNull(id, "notification: id");
    Objects.requireNonNull(kind, "notification: kind");
    Objects.requireNonNull(deployment, "notification: deployment");
    Objects.requireNonNull(summary, "notification: summary");
    Objects.requireNonNull(occurredAt, "notification: occurredAt");
    if (id.isBlank()) {
      throw new IllegalArgumentException("notification: id must not be blank");
    }
    severity = severity == null ? kind.severity() : severity;
    region = region == null ? "" : region;
    planId = planId == null ? "" : planId;
    details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    dedupKey = dedupKey == null || dedupKey.isBlank() ? deployment + ":" + id : dedupKey;
  }
}
