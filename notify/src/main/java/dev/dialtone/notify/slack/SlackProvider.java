package dev.dialtone.notify.slack;

import dev.dialtone.config.Secret;
import dev.dialtone.notify.DeliveryException;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.http.JsonPost;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Slack incoming webhook: {@code {"text": ..., "blocks": [...]}}, where {@code text} is the
 * notification fallback Slack shows where blocks are not rendered, and the blocks are a section
 * (summary) and a context line (deployment, region, plan, severity), then the details.
 */
public final class SlackProvider implements NotificationProvider {
  /** Slack's limit on a section's text. */
  static final int SECTION_LIMIT = 3000;

  private final Secret webhookUrl;
  private final JsonPost http;

  public SlackProvider(Secret webhookUrl, JsonPost http) {
    this.webhookUrl = webhookUrl;
    this.http = http;
  }

  @Override
  public String type() {
    return "slack";
  }

  @Override
  public void send(Notification n) throws DeliveryException, InterruptedException {
    http.post(URI.create(webhookUrl.reveal()), payload(n), Map.of());
  }

  /** The message posted. */
  public static Map<String, Object> payload(Notification n) {
    String headline = emoji(n) + " *" + n.severity() + "* " + n.kind().wireName() + " in " + n.deployment() + ": "
        + n.summary();
    List<Object> blocks = new ArrayList<>();
    blocks.add(section(headline));
    List<String> context = new ArrayList<>();
    context.add("deployment `" + n.deployment() + "`");
    if (!n.region().isEmpty()) {
      context.add("region `" + n.region() + "`");
    }
    if (!n.planId().isEmpty()) {
      context.add("plan `" + n.planId() + "`");
    }
    context.add("at " + n.occurredAt());
    blocks.add(Map.of("type", "context", "elements", List.of(Map.of("type", "mrkdwn", "text", String.join(" · ", context)))));
    if (!n.details().isEmpty()) {
      StringBuilder d = new StringBuilder();
      n.details().forEach((k, v) -> d.append("• *").append(k).append("*: ").append(v).append('\n'));
      blocks.add(section(d.toString().strip()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("text", "[" + n.severity() + "] " + n.kind().wireName() + " (" + n.deployment() + "): " + n.summary());
    body.put("blocks", blocks);
    return body;
  }

  private static Map<String, Object> section(String text) {
    String t = text.length() > SECTION_LIMIT ? text.substring(0, SECTION_LIMIT - 1) + "…" : text;
    return Map.of("type", "section", "text", Map.of("type", "mrkdwn", "text", t));
  }

  private static String emoji(Notification n) {
    return switch (n.kind().role()) {
      case OPENS -> ":rotating_light:";
      case RESOLVES -> ":white_check_mark:";
      case NOTES -> n.severity().atLeast(dev.dialtone.notify.Severity.ERROR) ? ":warning:" : ":information_source:";
    };
  }
}
