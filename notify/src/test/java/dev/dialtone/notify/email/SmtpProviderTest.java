package dev.dialtone.notify.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dialtone.config.Secret;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.NotificationProviderContract;
import dev.dialtone.peers.process.FreePorts;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The provider contract for SMTP e-mail, against GreenMail (a real SMTP server, in this JVM, on loopback). */
class SmtpProviderTest extends NotificationProviderContract {
  final int port = FreePorts.tcpAndUdp();
  GreenMail smtp;

  @BeforeEach
  void start() {
    smtp = server();
  }

  GreenMail server() {
    GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("oncall@example.com", "dialtone", SECRET));
    g.start();
    return g;
  }

  @AfterEach
  void stop() {
    if (smtp != null) {
      smtp.stop();
    }
  }

  SmtpProvider provider(String password) {
    return new SmtpProvider(new SmtpProvider.Settings("127.0.0.1", port, "dialtone@example.com",
        List.of("oncall@example.com"), "dialtone", Secret.of(password, "test"), false, Duration.ofSeconds(2)));
  }

  @Override
  protected NotificationProvider provider() {
    return provider(SECRET);
  }

  @Override
  protected NotificationProvider refused() {
    return provider("wrong-password");
  }

  @Override
  protected synchronized void down(boolean down) {
    if (down && smtp != null) {
      smtp.stop();
      smtp = null;
    } else if (!down && smtp == null) {
      smtp = server();
    }
  }

  /** Mail stays in the server's mailboxes across a restart only if kept: keep what each instance took. */
  final List<MimeMessage> kept = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  protected synchronized List<?> taken() {
    if (smtp != null) {
      for (MimeMessage m : smtp.getReceivedMessages()) {
        if (kept.stream().noneMatch(k -> header(k).equals(header(m)))) {
          kept.add(m);
        }
      }
    }
    return List.copyOf(kept);
  }

  static String header(MimeMessage m) {
    try {
      return m.getHeader("X-Dialtone-Event")[0];
    } catch (jakarta.mail.MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected void assertCarries(Object taken, Notification n) throws Exception {
    MimeMessage m = (MimeMessage) taken;
    assertThat(m.getSubject()).isEqualTo(SmtpProvider.subject(n));
    assertThat(m.getFrom()[0].toString()).isEqualTo("dialtone@example.com");
    assertThat(m.getAllRecipients()[0].toString()).isEqualTo("oncall@example.com");
    assertThat(header(m)).isEqualTo(n.id());
    assertThat(m.getHeader("X-Dialtone-Dedup-Key")[0]).isEqualTo(n.dedupKey());
    String body = GreenMailUtil.getBody(m);
    assertThat(body).contains(n.summary()).contains(n.details().get("reason")).contains(n.planId());
  }
}
