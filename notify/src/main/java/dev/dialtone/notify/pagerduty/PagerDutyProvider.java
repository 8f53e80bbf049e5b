package dev.dialtone.notify.pagerduty;

import dev.dialtone.config.Secret;
import dev.dialtone.notify.DeliveryException;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.http.JsonPost;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * PagerDuty Events API v2 ({@code POST /v2/enqueue}): an event that opens an incident is a {@code
 * trigger}, the one that ends it a {@code resolve} with the same {@code dedup_key}, so a failover
 * that heals closes its own incident; other events trigger under their own key.
 */
public final class PagerDutyProvider implements NotificationProvider {
  /** PagerDuty's own endpoint; tests point the provider at a local stand-in instead. */
  public static final String DEFAULT_ENDPOINT = "https://events.pagerduty.com/v2/enqueue";
  /** The API's limits on {@code payload.summary} and {@code dedup_key}. */
  static final int SUMMARY_LIMIT = 1024;
  static final int DEDUP_KEY_LIMIT = 255;

  private final Secret routingKey;
  private final URI endpoint;
  private final String source;
  private final JsonPost http;

  /** {@code source} names this control plane in {@code payload.source}, e.g. the replica id. */
  public PagerDutyProvider(Secret routingKey, URI endpoint, String source, JsonPost http) {
    this.routingKey = routingKey;
    this.endpoint = endpoint;
    this.source = source;
    this.http = http;
  }

  @Override
  public String type() {
    return "pagerduty";
  }

  @Override
  public void send(Notification n) throws DeliveryException, InterruptedException {
    http.post(endpoint, payload(n, routingKey.reveal(), source), Map.of());
  }

  /** The Events v2 body: a resolve carries only routing key, action and dedup key, as the API documents. */
  public static Map<String, Object> payload(Notification n, String routingKey, String source) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("routing_key", routingKey);
    boolean resolve = n.kind().role() == EventKind.Role.RESOLVES;
    body.put("event_action", resolve ? "resolve" : "trigger");
    body.put("dedup_key", limit(n.dedupKey(), DEDUP_KEY_LIMIT));
    if (resolve) {
      return body;
    }
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("summary", limit("[" + n.deployment() + "] " + n.summary(), SUMMARY_LIMIT));
    payload.put("source", source);
    payload.put("severity", n.severity().name().toLowerCase(Locale.ROOT));
    payload.put("timestamp", n.occurredAt().toString());
    if (!n.region().isEmpty()) {
      payload.put("component", n.region());
    }
    payload.put("group", n.deployment());
    payload.put("class", n.kind().wireName());
    Map<String, Object> custom = new LinkedHashMap<>(n.details());
    custom.put("event_id", n.id());
    if (!n.planId().isEmpty()) {
      custom.put("plan_id", n.planId());
    }
    payload.put("custom_details", custom);
    body.put("payload", payload);
    body.put("client", "Dialtone");
    return body;
  }

  private static String limit(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }
}
