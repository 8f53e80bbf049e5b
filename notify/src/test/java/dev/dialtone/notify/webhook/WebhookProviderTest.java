package dev.dialtone.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.config.Secret;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.HttpProviderContract;
import dev.dialtone.notify.testing.HttpReceiverStandIn;

/** The provider contract for the generic webhook, against a local stand-in receiver. */
class WebhookProviderTest extends HttpProviderContract {
  @Override
  protected HttpReceiverStandIn.Service service() {
    return HttpReceiverStandIn.webhook();
  }

  @Override
  protected NotificationProvider provider() {
    return new WebhookProvider(Secret.of(receiver.uri("/hooks/dialtone").toString(), "test"),
        Secret.of("Bearer " + SECRET, "test"), http());
  }

  @Override
  protected void assertCarries(Object taken, Notification n) {
    HttpReceiverStandIn.Request r = (HttpReceiverStandIn.Request) taken;
    assertThat(r.path()).isEqualTo("/hooks/dialtone");
    assertThat(r.header("Idempotency-Key")).isEqualTo(n.id());
    assertThat(r.header("Authorization")).isEqualTo("Bearer " + SECRET);
    assertThat(r.body().get("id").asText()).isEqualTo(n.id());
    assertThat(r.body().get("kind").asText()).isEqualTo(n.kind().wireName());
    assertThat(r.body().get("action").asText()).isEqualTo(n.kind().role() == EventKind.Role.RESOLVES ? "resolve" : "trigger");
    assertThat(r.body().get("severity").asText()).isEqualTo(n.severity().name().toLowerCase());
    assertThat(r.body().get("dedupKey").asText()).isEqualTo(n.dedupKey());
    assertThat(r.body().get("planId").asText()).isEqualTo(n.planId());
    assertThat(r.body().get("details").get("reason").asText()).isEqualTo(n.details().get("reason"));
    assertThat(r.body().get("occurredAt").asText()).isEqualTo(n.occurredAt().toString());
  }
}
