package dev.dialtone.notify.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Receiver;
import dev.dialtone.notify.Severity;
import dev.dialtone.notify.pagerduty.PagerDutyProvider;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The {@code notifications:} section: defaults, the full mapping, and each refusal naming its field. */
class NotifySectionTest {
  static final Map<String, String> ENV = Map.of("PD_KEY", "0123456789abcdef0123456789abcdef",
      "SLACK_URL", "https://hooks.slack.example/services/T0/B0/xyz", "NOT_A_URL", "hunter2", "SMTP_PASSWORD", "pw");

  static NotifySection parse(String yaml) {
    return ConfigLoader.of(NotifySection.class, ENV).parse("notify.yaml", yaml);
  }

  static String problems(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("accepted: " + yaml);
  }

  @Test
  void defaults() {
    NotifySection s = parse("receivers: [ { name: pager, pagerduty: { routingKey: \"env:PD_KEY\" } } ]");
    assertThat(s.queueCapacity()).isEqualTo(1000);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.sweepInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(s.retry().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.retry().maxBackoff()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.retry().giveUpAfter()).isEqualTo(Duration.ofMinutes(30));
    assertThat(s.retry().maxAttempts()).isZero();
    NotifySection.ReceiverConfig r = s.receivers().getFirst();
    assertThat(r.events()).isEmpty();
    assertThat(r.minSeverity()).isEqualTo(Severity.INFO);
    assertThat(r.pagerduty().endpoint()).isEqualTo(PagerDutyProvider.DEFAULT_ENDPOINT);
  }

  @Test
  void everyFieldMaps() {
    NotifySection s = parse("""
        queueCapacity: 50
        timeout: 3s
        sweepInterval: 1s
        retry: { initialBackoff: 200ms, maxBackoff: 5s, giveUpAfter: 2m, maxAttempts: 20 }
        receivers:
          - name: pager
            pagerduty: { routingKey: "env:PD_KEY", endpoint: "http://127.0.0.1:9/v2/enqueue" }
            events: [FAILOVER, FAILBACK, OUTAGE_ENTERED, OUTAGE_LEFT]
            minSeverity: WARNING
          - name: chat
            slack: { webhookUrl: "env:SLACK_URL" }
          - name: hook
            webhook: { url: "env:SLACK_URL", authorization: "env:PD_KEY" }
          - name: mail
            email: { host: smtp.example.com, port: 25, from: dialtone@example.com, to: [oncall@example.com],
                     username: dialtone, password: "env:SMTP_PASSWORD", startTls: false }
        """);
    assertThat(s.queueCapacity()).isEqualTo(50);
    assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(s.sweepInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.settings().backoff().initial()).isEqualTo(Duration.ofMillis(200));
    assertThat(s.settings().giveUpAfter()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.settings().maxAttempts()).isEqualTo(20);
    assertThat(s.receivers().getFirst().events()).containsExactly(EventKind.FAILOVER, EventKind.FAILBACK,
        EventKind.OUTAGE_ENTERED, EventKind.OUTAGE_LEFT);
    NotifySection.Email mail = s.receivers().get(3).email();
    assertThat(mail.port()).isEqualTo(25);
    assertThat(mail.startTls()).isFalse();
    assertThat(mail.password().reveal()).isEqualTo("pw");
    List<Receiver> built = s.receivers("cp-1");
    assertThat(built).extracting(Receiver::name).containsExactly("pager", "chat", "hook", "mail");
    assertThat(built).extracting(r -> r.provider().type()).containsExactly("pagerduty", "slack", "webhook", "email");
    assertThat(built.getFirst().route().kinds()).hasSize(4);
    assertThat(built.getFirst().route().minSeverity()).isEqualTo(Severity.WARNING);
    assertThat(built.get(1).route().kinds()).isEqualTo(Set.of());
  }

  @Test
  void aLiteralSecretIsRefusedWithoutBeingShown() {
    String p = problems("receivers: [ { name: pager, pagerduty: { routingKey: \"R0123456789abcdef\" } } ]");
    assertThat(p).contains("receivers[0].pagerduty.routingKey").contains("file:").doesNotContain("R0123456789abcdef");
  }

  @Test
  void aSecretUrlThatIsNoUrlIsRefusedNamingWhereItCameFromNotWhatItIs() {
    String p = problems("receivers: [ { name: chat, slack: { webhookUrl: \"env:NOT_A_URL\" } } ]");
    assertThat(p).contains("receivers[0].slack.webhookUrl").contains("env NOT_A_URL").doesNotContain("hunter2");
  }

  @Test
  void aReceiverNeedsExactlyOneProvider() {
    assertThat(problems("receivers: [ { name: x } ]")).contains("receivers[0]").contains("exactly one of webhook, slack, pagerduty, email (has 0)");
    assertThat(problems("receivers: [ { name: x, slack: { webhookUrl: \"env:SLACK_URL\" }, pagerduty: { routingKey: \"env:PD_KEY\" } } ]"))
        .contains("(has 2)");
  }

  @Test
  void eachRefusalNamesItsField() {
    assertThat(problems("receivers: []")).contains("receivers").contains("at least one receiver");
    assertThat(problems("""
        receivers:
          - { name: a, slack: { webhookUrl: "env:SLACK_URL" } }
          - { name: a, slack: { webhookUrl: "env:SLACK_URL" } }
        """)).contains("receivers[1].name").contains("listed twice");
    assertThat(problems("queueCapacity: 0\nreceivers: [ { name: a, slack: { webhookUrl: \"env:SLACK_URL\" } } ]"))
        .contains("queueCapacity");
    assertThat(problems("retry: { initialBackoff: 10s, maxBackoff: 1s }\nreceivers: [ { name: a, slack: { webhookUrl: \"env:SLACK_URL\" } } ]"))
        .contains("retry.initialBackoff");
    assertThat(problems("receivers: [ { name: a, slack: { webhookUrl: \"env:SLACK_URL\" }, events: [FAILOVR] } ]"))
        .contains("receivers[0].events");
    assertThat(problems("receivers: [ { name: m, email: { host: smtp.example.com, from: nobody, to: [oncall@example.com], username: u } } ]"))
        .contains("receivers[0].email.from").contains("receivers[0].email.password");
    assertThat(problems("receivers: [ { name: p, pagerduty: { routingKey: \"env:PD_KEY\", endpoint: \"ftp://x\" } } ]"))
        .contains("receivers[0].pagerduty.endpoint");
  }
}
