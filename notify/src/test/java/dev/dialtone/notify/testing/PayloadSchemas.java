package dev.dialtone.notify.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The payload shapes the receivers' services document, as checks the stand-ins run: PagerDuty
 * Events API v2 ({@code /v2/enqueue}: required fields, enum values, length limits), Slack incoming
 * webhooks ({@code text}, Block Kit sections and context), and Dialtone's own webhook schema.
 */
public final class PayloadSchemas {
  private static final Set<String> PD_TOP = Set.of("routing_key", "event_action", "dedup_key", "payload", "images", "links",
      "client", "client_url");
  private static final Set<String> PD_PAYLOAD = Set.of("summary", "source", "severity", "timestamp", "component", "group",
      "class", "custom_details");
  private static final Set<String> PD_ACTIONS = Set.of("trigger", "acknowledge", "resolve");
  private static final Set<String> PD_SEVERITIES = Set.of("critical", "error", "warning", "info");
  private static final Set<String> SLACK_BLOCKS = Set.of("section", "context", "divider", "header");
  private static final Set<String> TEXT_TYPES = Set.of("mrkdwn", "plain_text");
  private static final List<String> WEBHOOK_FIELDS = List.of("schema", "id", "kind", "action", "severity", "deployment",
      "region", "planId", "summary", "details", "dedupKey", "occurredAt");

  private PayloadSchemas() {}

  /** Problems of a PagerDuty Events API v2 event (empty when it is valid). */
  public static List<String> pagerDuty(JsonNode e) {
    List<String> p = new ArrayList<>();
    if (!e.isObject()) {
      return List.of("the event must be a JSON object");
    }
    unknown(e, PD_TOP, "", p);
    requireString(e, "routing_key", p);
    String action = e.path("event_action").asText("");
    if (!PD_ACTIONS.contains(action)) {
      p.add("event_action must be one of " + PD_ACTIONS + ", was '" + action + "'");
    }
    if (e.has("dedup_key") && (!e.get("dedup_key").isTextual() || e.get("dedup_key").asText().length() > 255)) {
      p.add("dedup_key must be a string of at most 255 characters");
    }
    if (!action.equals("trigger")) {
      if (!e.has("dedup_key")) {
        p.add("dedup_key is required to " + action);
      }
      return p;
    }
    JsonNode payload = e.path("payload");
    if (!payload.isObject()) {
      p.add("payload is required to trigger");
      return p;
    }
    unknown(payload, PD_PAYLOAD, "payload.", p);
    requireString(payload, "summary", p);
    if (payload.path("summary").asText("").length() > 1024) {
      p.add("payload.summary must be at most 1024 characters");
    }
    requireString(payload, "source", p);
    String severity = payload.path("severity").asText("");
    if (!PD_SEVERITIES.contains(severity)) {
      p.add("payload.severity must be one of " + PD_SEVERITIES + ", was '" + severity + "'");
    }
    if (payload.has("timestamp")) {
      try {
        OffsetDateTime.parse(payload.get("timestamp").asText());
      } catch (DateTimeParseException ex) {
        p.add("payload.timestamp must be ISO 8601");
      }
    }
    for (String f : List.of("component", "group", "class")) {
      if (payload.has(f) && !payload.get(f).isTextual()) {
        p.add("payload." + f + " must be a string");
      }
    }
    if (payload.has("custom_details") && !payload.get("custom_details").isObject()) {
      p.add("payload.custom_details must be an object");
    }
    return p;
  }

  /** Problems of a Slack incoming-webhook message. */
  public static List<String> slack(JsonNode m) {
    List<String> p = new ArrayList<>();
    if (!m.path("text").isTextual() || m.path("text").asText().isBlank()) {
      p.add("text is required (no_text): the notification fallback");
    }
    if (m.has("blocks")) {
      JsonNode blocks = m.get("blocks");
      if (!blocks.isArray() || blocks.size() > 50) {
        p.add("blocks must be an array of at most 50 blocks");
        return p;
      }
      for (int i = 0; i < blocks.size(); i++) {
        JsonNode b = blocks.get(i);
        String type = b.path("type").asText("");
        if (!SLACK_BLOCKS.contains(type)) {
          p.add("blocks[" + i + "].type '" + type + "' is not a block this message may use");
        } else if (type.equals("section")) {
          text(b.path("text"), "blocks[" + i + "].text", 3000, p);
        } else if (type.equals("context")) {
          JsonNode el = b.path("elements");
          if (!el.isArray() || el.isEmpty() || el.size() > 10) {
            p.add("blocks[" + i + "].elements must hold 1 to 10 elements");
          } else {
            for (int j = 0; j < el.size(); j++) {
              text(el.get(j), "blocks[" + i + "].elements[" + j + "]", 3000, p);
            }
          }
        }
      }
    }
    return p;
  }

  /** Problems of a Dialtone webhook payload (schema {@code dialtone.notification/v1}). */
  public static List<String> webhook(JsonNode w) {
    List<String> p = new ArrayList<>();
    for (String f : WEBHOOK_FIELDS) {
      if (!w.has(f)) {
        p.add(f + " is required");
      }
    }
    if (!"dialtone.notification/v1".equals(w.path("schema").asText())) {
      p.add("schema must be dialtone.notification/v1");
    }
    if (!Set.of("trigger", "resolve", "note").contains(w.path("action").asText())) {
      p.add("action must be trigger, resolve or note");
    }
    if (!PD_SEVERITIES.contains(w.path("severity").asText())) {
      p.add("severity must be one of " + PD_SEVERITIES);
    }
    if (!w.path("details").isObject()) {
      p.add("details must be an object");
    }
    try {
      OffsetDateTime.parse(w.path("occurredAt").asText());
    } catch (DateTimeParseException ex) {
      p.add("occurredAt must be ISO 8601");
    }
    return p;
  }

  private static void text(JsonNode t, String at, int max, List<String> p) {
    if (!TEXT_TYPES.contains(t.path("type").asText("")) || !t.path("text").isTextual()) {
      p.add(at + " must be a text object {type: mrkdwn|plain_text, text}");
    } else if (t.path("text").asText().isEmpty() || t.path("text").asText().length() > max) {
      p.add(at + ".text must be 1 to " + max + " characters");
    }
  }

  private static void requireString(JsonNode o, String field, List<String> p) {
    if (!o.path(field).isTextual() || o.path(field).asText().isBlank()) {
      p.add(field + " is required (a non-empty string)");
    }
  }

  private static void unknown(JsonNode o, Set<String> known, String prefix, List<String> p) {
    for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
      String n = names.next();
      if (!known.contains(n)) {
        p.add(prefix + n + " is not a field of the event");
      }
    }
  }
}
