package dev.dialtone.security.tls;

import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.CertificateUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads PEM files into gRPC's key and trust managers when their content changes. gRPC's own file
 * watcher polls at most once a minute and needs both files' mtimes to change; this one compares
 * content, honours any period, and keeps the old credentials (logging why) if new files are bad
 * or half-written, so a botched rotation never takes a process off the network.
 */
final class CredentialReloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CredentialReloader.class);

  private final TlsFiles files;
  private final AdvancedTlsX509KeyManager keyManager;
  private final AdvancedTlsX509TrustManager trustManager;
  private final ScheduledFuture<?> task;
  private byte[] identityDigest = new byte[0];
  private byte[] trustDigest = new byte[0];

  /** Loads the files once (failing loudly if they are bad), then re-checks them every refresh. */
  CredentialReloader(
      TlsFiles files, AdvancedTlsX509KeyManager keyManager, AdvancedTlsX509TrustManager trustManager,
      ScheduledExecutorService scheduler) throws IOException, GeneralSecurityException {
    this.files = files;
    this.keyManager = keyManager;
    this.trustManager = trustManager;
    reload();
    long period = files.refresh().toMillis();
    this.task = scheduler.scheduleWithFixedDelay(this::reloadQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  private synchronized void reload() throws IOException, GeneralSecurityException {
    byte[] chain = Files.readAllBytes(files.certificateChain());
    byte[] key = Files.readAllBytes(files.privateKey());
    byte[] trust = Files.readAllBytes(files.trustBundle());
    byte[] newIdentity = digest(chain, key);
    if (!Arrays.equals(newIdentity, identityDigest)) {
      X509Certificate[] certificates = CertificateUtils.getX509Certificates(new ByteArrayInputStream(chain));
      PrivateKey privateKey = CertificateUtils.getPrivateKey(new ByteArrayInputStream(key));
      if (certificates.length == 0) {
        throw new GeneralSecurityException(files.certificateChain() + " holds no certificate");
      }
      if (!certificates[0].getPublicKey().getAlgorithm().equals(privateKey.getAlgorithm())) {
        throw new GeneralSecurityException(files.privateKey() + " does not match " + files.certificateChain());
      }
      keyManager.updateIdentityCredentials(certificates, privateKey);
      identityDigest = newIdentity;
      log.info("TLS identity loaded from {}: subject {}, serial {}, expires {}", files.certificateChain(),
          certificates[0].getSubjectX500Principal().getName(), certificates[0].getSerialNumber().toString(16),
          certificates[0].getNotAfter().toInstant());
    }
    byte[] newTrust = digest(trust);
    if (!Arrays.equals(newTrust, trustDigest)) {
      X509Certificate[] authorities = CertificateUtils.getX509Certificates(new ByteArrayInputStream(trust));
      if (authorities.length == 0) {
        throw new GeneralSecurityException(files.trustBundle() + " holds no certificate");
      }
      trustManager.updateTrustCredentials(authorities);
      trustDigest = newTrust;
      log.info("TLS trust bundle loaded from {}: {} authorities", files.trustBundle(), authorities.length);
    }
  }

  private void reloadQuietly() {
    try {
      reload();
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      log.warn("keeping the current TLS credentials: could not reload {} / {}: {}",
          files.certificateChain(), files.trustBundle(), e.toString());
    }
  }

  private static byte[] digest(byte[]... parts) throws GeneralSecurityException {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  @Override
  public void close() {
    task.cancel(false);
  }
}
