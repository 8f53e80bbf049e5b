package dev.dialtone.notify.pagerduty;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.config.Secret;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.HttpProviderContract;
import dev.dialtone.notify.testing.HttpReceiverStandIn;
import dev.dialtone.notify.testing.PayloadSchemas;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider contract for PagerDuty Events API v2, against a local stand-in (no PagerDuty is reachable here). */
class PagerDutyProviderTest extends HttpProviderContract {
  @Override
  protected HttpReceiverStandIn.Service service() {
    return HttpReceiverStandIn.pagerDuty();
  }

  @Override
  protected NotificationProvider provider() {
    return new PagerDutyProvider(Secret.of(SECRET, "test"), receiver.uri("/v2/enqueue"), "cp-1",
        http());
  }

  @Override
  protected void assertCarries(Object taken, Notification n) {
    HttpReceiverStandIn.Request r = (HttpReceiverStandIn.Request) taken;
    assertThat(r.path()).isEqualTo("/v2/enqueue");
    JsonNode e = r.body();
    assertThat(e.get("routing_key").asText()).isEqualTo(SECRET);
    assertThat(e.get("dedup_key").asText()).isEqualTo(n.dedupKey());
    if (n.kind().role() == EventKind.Role.RESOLVES) {
      assertThat(e.get("event_action").asText()).isEqualTo("resolve");
      return;
    }
    assertThat(e.get("event_action").asText()).isEqualTo("trigger");
    JsonNode p = e.get("payload");
    assertThat(p.get("summary").asText()).contains(n.summary());
    assertThat(p.get("source").asText()).isEqualTo("cp-1");
    assertThat(p.get("severity").asText()).isEqualTo(n.severity().name().toLowerCase());
    assertThat(p.get("component").asText()).isEqualTo(n.region());
    assertThat(p.get("group").asText()).isEqualTo(n.deployment());
    assertThat(p.get("custom_details").get("reason").asText()).isEqualTo(n.details().get("reason"));
    assertThat(p.get("custom_details").get("event_id").asText()).isEqualTo(n.id());
  }

  @Test
  void aFailoverAndTheFailbackThatHealsItShareOneDedupKey() throws Exception {
    provider().send(event(EventKind.FAILOVER, "e3-7-failover"));
    provider().send(event(EventKind.FAILBACK, "e3-9-failback"));
    List<HttpReceiverStandIn.Request> sent = receiver.taken();
    assertThat(sent).extracting(r -> r.body().get("event_action").asText()).containsExactly("trigger", "resolve");
    assertThat(sent).extracting(r -> r.body().get("dedup_key").asText()).containsOnly("acme-voice:active-region-down:us-east");
  }

  @Test
  void theStandInRefusesWhatPagerDutyWouldRefuse() {
    java.util.Map<String, Object> bad = java.util.Map.of("routing_key", "k", "event_action", "trigger",
        "payload", java.util.Map.of("summary", "x", "source", "y", "severity", "fatal"));
    assertThat(PayloadSchemas.pagerDuty(new ObjectMapper().valueToTree(bad)))
        .singleElement().asString().startsWith("payload.severity must be one of");
    assertThat(PayloadSchemas.pagerDuty(new ObjectMapper().valueToTree(java.util.Map.of("routing_key", "k",
        "event_action", "resolve")))).containsExactly("dedup_key is required to resolve");
  }
}
