package dev.dialtone.controlplane.notify;

import dev.dialtone.notify.Dispatcher;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import dev.dialtone.telemetry.CertificateExpiry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Warns the receivers when this replica's own certificate (as on disk, rotations included) is
 * closer to expiry than {@code warnBefore}: once per certificate and process.
 */
final class CertificateNotice {
  /** Two weeks: time for a rotation through the usual change process. */
  static final Duration WARN_BEFORE = Duration.ofDays(14);

  private final String deployment;
  private final String replicaId;
  private final Path file;
  private final CertificateExpiry expiry;
  private final Duration warnBefore;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private double warnedFor = Double.NaN;

  CertificateNotice(String deployment, String replicaId, Path file, Duration warnBefore, Dispatcher dispatcher,
      Clock clock) {
    this.deployment = deployment;
    this.replicaId = replicaId;
    this.file = file;
    this.expiry = new CertificateExpiry(file);
    this.warnBefore = warnBefore;
    this.dispatcher = dispatcher;
    this.clock = clock;
  }

  /** Reads the certificate and warns if it expires within {@code warnBefore} and was not warned of yet. */
  synchronized void check() {
    double notAfter = expiry.getValue();
    if (Double.isNaN(notAfter) || notAfter == warnedFor) {
      return;
    }
    Instant expires = Instant.ofEpochSecond((long) notAfter);
    Instant now = clock.instant();
    if (Duration.between(now, expires).compareTo(warnBefore) > 0) {
      return;
    }
    warnedFor = notAfter;
    String when = expires.isBefore(now) ? "expired on " + expires : "expires on " + expires;
    dispatcher.offer(new Notification("certificate-" + replicaId + "-" + expires.getEpochSecond(),
        EventKind.CERTIFICATE_EXPIRING, null, deployment, "", "", "the certificate of replica " + replicaId + " (" + file
            + ") " + when + "; rotate it in place (it is re-read without a restart)",
        Map.of("replica", replicaId, "certificate", file.toString(), "notAfter", expires.toString()), null, now),
        () -> true, Dispatcher.Listener.NONE);
  }
}
