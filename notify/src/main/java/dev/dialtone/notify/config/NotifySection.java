package dev.dialtone.notify.config;

import dev.dialtone.config.Backoff;
import dev.dialtone.config.Durations;
import dev.dialtone.config.Secret;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Formats;
import dev.dialtone.config.constraint.HttpUrl;
import dev.dialtone.config.constraint.Identifier;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.Rules;
import dev.dialtone.notify.Dispatcher;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.Receiver;
import dev.dialtone.notify.Route;
import dev.dialtone.notify.Severity;
import dev.dialtone.notify.email.SmtpProvider;
import dev.dialtone.notify.http.JsonPost;
import dev.dialtone.notify.pagerduty.PagerDutyProvider;
import dev.dialtone.notify.slack.SlackProvider;
import dev.dialtone.notify.webhook.WebhookProvider;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code notifications:} section of a replica's YAML: the receivers (each exactly one of {@code
 * webhook}, {@code slack}, {@code pagerduty}, {@code email}, with the events and minimum severity
 * it wants), the queue bound, the HTTP/SMTP timeout, how often the leader looks for events to
 * raise and deliveries to resume ({@code sweepInterval}), and the retry budget. Every URL, routing key
 * and password is a {@link Secret} reference ({@code file:} or {@code env:}).
 */
public record NotifySection(
    @Min(value = 1, message = "must be at least 1") Integer queueCapacity,
    @PositiveDuration Duration timeout,
    @PositiveDuration Duration sweepInterval,
    @Valid Retry retry,
    @NotEmpty(message = "at least one receiver is required (or leave notifications: out)") List<@NotNull @Valid ReceiverConfig> receivers)
    implements Checked {

  public NotifySection {
    queueCapacity = queueCapacity == null ? 1000 : queueCapacity;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    sweepInterval = sweepInterval == null ? Duration.ofMillis(250) : sweepInterval;
    retry = retry == null ? new Retry(null, null, null, null) : retry;
    receivers = receivers == null ? List.of() : List.copyOf(receivers);
  }

  /**
   * How long one event is retried at one receiver: waits from {@code initialBackoff} doubling up
   * to {@code maxBackoff}, for {@code giveUpAfter} (and at most {@code maxAttempts}, 0 for no
   * limit but time), then it is reported undeliverable.
   */
  public record Retry(@PositiveDuration Duration initialBackoff, @PositiveDuration Duration maxBackoff,
      @PositiveDuration Duration giveUpAfter, @Min(0) Integer maxAttempts) implements Checked {
    public Retry {
      initialBackoff = initialBackoff == null ? Duration.ofSeconds(1) : initialBackoff;
      maxBackoff = maxBackoff == null ? Duration.ofSeconds(30) : maxBackoff;
      giveUpAfter = giveUpAfter == null ? Duration.ofMinutes(30) : giveUpAfter;
      maxAttempts = maxAttempts == null ? 0 : maxAttempts;
    }

    @Override
    public void check(Rules rules) {
      rules.require(initialBackoff.compareTo(maxBackoff) <= 0, "initialBackoff",
          "must not exceed maxBackoff (" + Durations.format(maxBackoff) + "), was " + Durations.format(initialBackoff));
    }
  }

  /** One receiver: its name (in logs, metrics and the history), exactly one provider, and its route. */
  public record ReceiverConfig(
      @NotNull @Identifier String name,
      @Valid Webhook webhook,
      @Valid Slack slack,
      @Valid PagerDuty pagerduty,
      @Valid Email email,
      List<@NotNull EventKind> events,
      Severity minSeverity) implements Checked {
    public ReceiverConfig {
      events = events == null ? List.of() : List.copyOf(events);
      minSeverity = minSeverity == null ? Severity.INFO : minSeverity;
    }

    @Override
    public void check(Rules rules) {
      int set = (webhook == null ? 0 : 1) + (slack == null ? 0 : 1) + (pagerduty == null ? 0 : 1) + (email == null ? 0 : 1);
      rules.require(set == 1, "", "must set exactly one of webhook, slack, pagerduty, email (has " + set + ")");
    }

    Route route() {
      return new Route(Set.copyOf(events), minSeverity);
    }
  }

  /** A generic JSON webhook; {@code authorization} is sent as the {@code Authorization} header. */
  public record Webhook(@NotNull(message = "is required: " + Secret.SYNTAX) Secret url, Secret authorization)
      implements Checked {
    @Override
    public void check(Rules rules) {
      requireUrl(rules, "url", url);
    }
  }

  /** A Slack incoming webhook (its URL holds the token, so it is a secret). */
  public record Slack(@NotNull(message = "is required: " + Secret.SYNTAX) Secret webhookUrl) implements Checked {
    @Override
    public void check(Rules rules) {
      requireUrl(rules, "webhookUrl", webhookUrl);
    }
  }

  /** A PagerDuty service's Events API v2 integration; {@code endpoint} defaults to PagerDuty's own. */
  public record PagerDuty(@NotNull(message = "is required: the integration's routing key, " + Secret.SYNTAX) Secret routingKey,
      @HttpUrl String endpoint) {
    public PagerDuty {
      endpoint = endpoint == null ? PagerDutyProvider.DEFAULT_ENDPOINT : endpoint;
    }
  }

  /** E-mail over SMTP; {@code username} without {@code password} is refused. */
  public record Email(
      @NotNull(message = "is required: the SMTP server's host") String host,
      @Min(1) @Max(65535) Integer port,
      @NotNull(message = "is required: the sender address") String from,
      @NotEmpty(message = "at least one recipient is required") List<@NotNull String> to,
      String username,
      Secret password,
      Boolean startTls) implements Checked {
    public Email {
      port = port == null ? 587 : port;
      to = to == null ? List.of() : List.copyOf(to);
      startTls = startTls == null || startTls;
    }

    @Override
    public void check(Rules rules) {
      rules.require(host == null || Formats.isHost(host), "host", "'" + host + "' is not a host name or address");
      rules.require(username == null || password != null, "password", "is required with username: " + Secret.SYNTAX);
      rules.require(username != null || password == null, "username", "is required with password");
      requireAddress(rules, "from", from);
      for (int i = 0; i < to.size(); i++) {
        requireAddress(rules, "to[" + i + "]", to.get(i));
      }
    }
  }

  private static void requireUrl(Rules rules, String field, Secret url) {
    if (url != null && !Formats.isHttpUrl(url.reveal())) {
      // The value is a secret: say where it came from, never what it is.
      rules.fail(field, "the secret from " + url.source() + " must be an http:// or https:// URL with a host");
    }
  }

  private static void requireAddress(Rules rules, String field, String address) {
    if (address == null) {
      return;
    }
    try {
      new InternetAddress(address, true);
    } catch (AddressException e) {
      rules.fail(field, "'" + address + "' is not an e-mail address");
    }
  }

  @Override
  public void check(Rules rules) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < receivers.size(); i++) {
      ReceiverConfig r = receivers.get(i);
      rules.require(r == null || r.name() == null || names.add(r.name()), "receivers[" + i + "].name",
          "receiver " + (r == null ? "" : r.name()) + " is listed twice");
    }
  }

  /** The dispatcher's settings. */
  public Dispatcher.Settings settings() {
    return new Dispatcher.Settings(queueCapacity, new Backoff(retry.initialBackoff(), retry.maxBackoff()),
        retry.giveUpAfter(), retry.maxAttempts());
  }

  /** The receivers, with their providers; {@code source} names this process to PagerDuty. */
  public List<Receiver> receivers(String source) {
    JsonPost http = JsonPost.withTimeout(timeout);
    List<Receiver> out = new ArrayList<>();
    for (ReceiverConfig r : receivers) {
      out.add(new Receiver(r.name(), provider(r, http, source), r.route()));
    }
    return out;
  }

  private NotificationProvider provider(ReceiverConfig r, JsonPost http, String source) {
    if (r.webhook() != null) {
      return new WebhookProvider(r.webhook().url(), r.webhook().authorization(), http);
    }
    if (r.slack() != null) {
      return new SlackProvider(r.slack().webhookUrl(), http);
    }
    if (r.pagerduty() != null) {
      return new PagerDutyProvider(r.pagerduty().routingKey(), URI.create(r.pagerduty().endpoint()), source, http);
    }
    Email e = r.email();
    return new SmtpProvider(new SmtpProvider.Settings(e.host(), e.port(), e.from(), e.to(), e.username(), e.password(),
        e.startTls(), timeout));
  }
}
