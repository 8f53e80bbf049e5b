package dev.dialtone.lab;

import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.security.pki.CertificateAuthority.Issued.PemFiles;
import dev.dialtone.security.tls.ReplicaServerTrust;
import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;

/**
 * The lab's throwaway CA, made at start so the quick start runs with mTLS on: a certificate per
 * replica, per region agent (its SPIFFE id names its region) and one for the operator (the lab's
 * own admin calls and {@code dialtone --tls-dir <work>/pki/operator}). Nothing outlives the run.
 */
final class LabPki {
  private static final Duration VALIDITY = Duration.ofDays(1);
  static final String OPERATOR = "lab-operator";

  private final CertificateAuthority ca;
  private final Path dir;
  private final Path trustBundle;
  private final String deployment;
  private final Instant now;

  private LabPki(CertificateAuthority ca, Path dir, Path trustBundle, String deployment, Instant now) {
    this.ca = ca;
    this.dir = dir;
    this.trustBundle = trustBundle;
    this.deployment = deployment;
    this.now = now;
  }

  static LabPki create(Path dir, String deployment, Instant now) throws IOException {
    Files.createDirectories(dir);
    CertificateAuthority ca = CertificateAuthority.create("dialtone lab CA (throwaway)", now, VALIDITY, new SecureRandom());
    return new LabPki(ca, dir, ca.writeTrustBundle(dir.resolve("ca.crt")), deployment, now);
  }

  Path trustBundle() {
    return trustBundle;
  }

  PemFiles replica(String id) {
    return issue(id, SpiffeId.replica(deployment, id), dir);
  }

  PemFiles agent(String region, String name) {
    return issue(name, SpiffeId.agent(deployment, region, name), dir);
  }

  /** The operator's identity, written as {@code ca.crt}, {@code client.crt}, {@code client.key} for {@code --tls-dir}. */
  PemFiles operator() throws IOException {
    Path d = operatorDir();
    Files.createDirectories(d);
    Files.copy(trustBundle, d.resolve("ca.crt"), StandardCopyOption.REPLACE_EXISTING);
    return issue("client", SpiffeId.operator(deployment, OPERATOR), d);
  }

  Path operatorDir() {
    return dir.resolve("operator");
  }

  String operatorId() {
    return SpiffeId.operator(deployment, OPERATOR).toUri().toString();
  }

  /** Channel credentials of the operator, for the lab's own admin calls. */
  ChannelCredentials operatorCredentials() {
    Path d = operatorDir();
    try {
      return TlsChannelCredentials.newBuilder()
          .trustManager(ReplicaServerTrust.forTrustBundle(d.resolve("ca.crt"), deployment))
          .keyManager(d.resolve("client.crt").toFile(), d.resolve("client.key").toFile())
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot use the lab's trust bundle under " + d + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the lab operator's certificate under " + d, e);
    }
  }

  private PemFiles issue(String name, SpiffeId id, Path into) {
    return ca.issue(CertificateAuthority.LeafSpec.loopback(name, id.toUri(), now, VALIDITY)).written(into, name);
  }
}
