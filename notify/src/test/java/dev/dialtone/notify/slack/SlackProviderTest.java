package dev.dialtone.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.config.Secret;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.HttpProviderContract;
import dev.dialtone.notify.testing.HttpReceiverStandIn;

/** The provider contract for Slack incoming webhooks, against a local stand-in (no Slack is reachable here). */
class SlackProviderTest extends HttpProviderContract {
  @Override
  protected HttpReceiverStandIn.Service service() {
    return HttpReceiverStandIn.slack();
  }

  @Override
  protected NotificationProvider provider() {
    return new SlackProvider(Secret.of(receiver.uri("/services/T000/B000/" + SECRET).toString(), "test"),
        http());
  }

  @Override
  protected void assertCarries(Object taken, Notification n) {
    JsonNode m = ((HttpReceiverStandIn.Request) taken).body();
    assertThat(m.get("text").asText()).contains(n.summary()).contains(n.kind().wireName()).contains(n.deployment());
    String all = m.get("blocks").toString();
    assertThat(all).contains(n.summary()).contains(n.region()).contains(n.planId()).contains(n.details().get("reason"));
  }
}
