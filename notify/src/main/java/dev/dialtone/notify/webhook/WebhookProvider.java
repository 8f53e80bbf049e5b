package dev.dialtone.notify.webhook;

import dev.dialtone.config.Secret;
import dev.dialtone.notify.DeliveryException;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.http.JsonPost;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A generic JSON webhook: the event as one JSON object (see {@link #payload}) POSTed to a URL, with
 * an {@code Idempotency-Key} header holding the event id and, when configured, an {@code
 * Authorization} header.
 */
public final class WebhookProvider implements NotificationProvider {
  /** The payload's schema version, sent as {@code schema}. */
  public static final String SCHEMA = "dialtone.notification/v1";

  private final Secret url;
  private final Secret authorization;
  private final JsonPost http;

  /** {@code authorization} may be {@code null}. */
  public WebhookProvider(Secret url, Secret authorization, JsonPost http) {
    this.url = url;
    this.authorization = authorization;
    this.http = http;
  }

  @Override
  public String type() {
    return "webhook";
  }

  @Override
  public void send(Notification n) throws DeliveryException, InterruptedException {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotency-Key", n.id());
    if (authorization != null) {
      headers.put("Authorization", authorization.reveal());
    }
    http.post(URI.create(url.reveal()), payload(n), headers);
  }

  /** The JSON object sent: every field of the event, with {@code action} trigger, resolve or note. */
  public static Map<String, Object> payload(Notification n) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("schema", SCHEMA);
    body.put("id", n.id());
    body.put("kind", n.kind().wireName());
    body.put("action", switch (n.kind().role()) {
      case OPENS -> "trigger";
      case RESOLVES -> "resolve";
      case NOTES -> "note";
    });
    body.put("severity", n.severity().name().toLowerCase(java.util.Locale.ROOT));
    body.put("deployment", n.deployment());
    body.put("region", n.region());
    body.put("planId", n.planId());
    body.put("summary", n.summary());
    body.put("details", n.details());
    body.put("dedupKey", n.dedupKey());
    body.put("occurredAt", n.occurredAt().toString());
    return body;
  }
}
