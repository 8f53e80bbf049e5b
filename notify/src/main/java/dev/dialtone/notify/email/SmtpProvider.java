package dev.dialtone.notify.email;

import dev.dialtone.config.Secret;
import dev.dialtone.notify.DeliveryException;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * E-mail over SMTP with Jakarta Mail (Eclipse Angus): one plain-text message per event, its
 * subject {@code [dialtone <deployment>] <SEVERITY> <kind>: <summary>}, the event id in an {@code
 * X-Dialtone-Event} header. A refused login or address is permanent; anything else is retried.
 */
public final class SmtpProvider implements NotificationProvider {
  /** Where and how to send. {@code username}/{@code password} may be {@code null} (no AUTH). */
  public record Settings(String host, int port, String from, List<String> to, String username, Secret password,
      boolean startTls, Duration timeout) {
    public Settings {
      to = List.copyOf(to);
    }
  }

  private final Settings settings;
  private final Session session;

  public SmtpProvider(Settings settings) {
    this.settings = settings;
    Properties p = new Properties();
    p.put("mail.smtp.host", settings.host());
    p.put("mail.smtp.port", String.valueOf(settings.port()));
    String ms = String.valueOf(settings.timeout().toMillis());
    p.put("mail.smtp.connectiontimeout", ms);
    p.put("mail.smtp.timeout", ms);
    p.put("mail.smtp.writetimeout", ms);
    p.put("mail.smtp.auth", String.valueOf(settings.username() != null));
    if (settings.startTls()) {
      p.put("mail.smtp.starttls.enable", "true");
      p.put("mail.smtp.starttls.required", "true");
    }
    this.session = Session.getInstance(p);
  }

  @Override
  public String type() {
    return "email";
  }

  @Override
  public void send(Notification n) throws DeliveryException, InterruptedException {
    MimeMessage m;
    try {
      m = message(session, n, settings);
    } catch (MessagingException e) {
      throw DeliveryException.permanent("cannot build the message: " + e.getMessage(), e);
    }
    try {
      if (settings.username() != null) {
        Transport.send(m, settings.username(), settings.password() == null ? "" : settings.password().reveal());
      } else {
        Transport.send(m);
      }
    } catch (AuthenticationFailedException e) {
      throw DeliveryException.permanent("the SMTP server refused the login of " + settings.username(), e);
    } catch (MessagingException e) {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted sending e-mail");
      }
      throw DeliveryException.retryable("SMTP " + settings.host() + ":" + settings.port() + " did not take it ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
  }

  /** The message sent for {@code n}. */
  static MimeMessage message(Session session, Notification n, Settings settings) throws MessagingException {
    MimeMessage m = new MimeMessage(session);
    try {
      m.setFrom(new InternetAddress(settings.from(), true));
      Address[] to = new Address[settings.to().size()];
      for (int i = 0; i < to.length; i++) {
        to[i] = new InternetAddress(settings.to().get(i), true);
      }
      m.setRecipients(Message.RecipientType.TO, to);
    } catch (AddressException e) {
      throw new MessagingException("bad address: " + e.getMessage(), e);
    }
    m.setSubject(subject(n), "UTF-8");
    m.setSentDate(Date.from(n.occurredAt()));
    m.setHeader("X-Dialtone-Event", n.id());
    m.setHeader("X-Dialtone-Dedup-Key", n.dedupKey());
    m.setText(body(n), "UTF-8");
    return m;
  }

  /** {@code [dialtone <deployment>] <SEVERITY> <kind>: <summary>}. */
  public static String subject(Notification n) {
    return "[dialtone " + n.deployment() + "] " + n.severity() + " " + n.kind().wireName() + ": " + n.summary();
  }

  static String body(Notification n) {
    StringBuilder b = new StringBuilder();
    b.append(n.summary()).append("\n\n");
    b.append("kind:       ").append(n.kind().wireName()).append('\n');
    b.append("severity:   ").append(n.severity()).append('\n');
    b.append("deployment: ").append(n.deployment()).append('\n');
    if (!n.region().isEmpty()) {
      b.append("region:     ").append(n.region()).append('\n');
    }
    if (!n.planId().isEmpty()) {
      b.append("plan:       ").append(n.planId()).append('\n');
    }
    b.append("at:         ").append(n.occurredAt()).append('\n');
    b.append("event:      ").append(n.id()).append('\n');
    if (!n.details().isEmpty()) {
      b.append('\n');
      n.details().forEach((k, v) -> b.append(k).append(": ").append(v).append('\n'));
    }
    return b.toString();
  }
}
