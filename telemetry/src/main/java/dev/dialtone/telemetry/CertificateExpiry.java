package dev.dialtone.telemetry;

import com.codahale.metrics.Gauge;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * A gauge of when a PEM certificate file's leaf expires, in Unix seconds; re-read when the file
 * changes (certificates rotate in place), NaN while it cannot be read, so an alert on "expires
 * soon" sees the certificate actually on disk.
 */
public final class CertificateExpiry implements Gauge<Double> {
  private final Path file;
  private FileTime seen;
  private double notAfter = Double.NaN;

  public CertificateExpiry(Path file) {
    this.file = file;
  }

  @Override
  public synchronized Double getValue() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!modified.equals(seen)) {
        try (InputStream in = Files.newInputStream(file)) {
          X509Certificate leaf = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
          notAfter = leaf.getNotAfter().toInstant().getEpochSecond();
        }
        seen = modified;
      }
    } catch (IOException | CertificateException | ClassCastException e) {
      notAfter = Double.NaN;
      seen = null;
    }
    return notAfter;
  }
}
