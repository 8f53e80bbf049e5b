package dev.dialtone.security.tls;

import dev.dialtone.security.identity.PeerCertificates;
import dev.dialtone.security.identity.SpiffeId;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A client's trust in the server it dials: after {@code delegate} has validated the chain (and,
 * if it does, the host name), the leaf must carry {@code spiffe://<deployment>/replica/<name>}.
 * Every leaf of the CA chains fine, so without this an agent's certificate, or another
 * deployment's replica, could pose as a replica and collect reports and bearer tokens.
 */
public final class ReplicaServerTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final String deployment;

  public ReplicaServerTrust(X509ExtendedTrustManager delegate, String deployment) {
    if (deployment == null || deployment.isBlank()) {
      throw new IllegalArgumentException("the deployment whose replicas to trust is required");
    }
    this.delegate = delegate;
    this.deployment = deployment;
  }

  /**
   * Trust in the CAs of the PEM {@code trustBundle} with the JDK's standard checks, host name
   * included (as set up by the TLS client), and then the replica identity.
   */
  public static ReplicaServerTrust forTrustBundle(Path trustBundle, String deployment) throws IOException, GeneralSecurityException {
    X509Certificate[] authorities;
    try (InputStream in = Files.newInputStream(trustBundle)) {
      authorities = CertificateUtils.getX509Certificates(in);
    }
    if (authorities.length == 0) {
      throw new GeneralSecurityException(trustBundle + " holds no certificate");
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    for (int i = 0; i < authorities.length; i++) {
      store.setCertificateEntry("ca-" + i, authorities[i]);
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager tm : factory.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x509) {
        return new ReplicaServerTrust(x509, deployment);
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager for " + trustBundle);
  }

  /** Why {@code leaf} is not a replica of {@code deployment}, or null if it is one. */
  static String refusal(X509Certificate leaf, String deployment) {
    List<String> uris = PeerCertificates.uriSans(leaf);
    boolean replica = PeerCertificates.spiffeIds(leaf).stream()
        .anyMatch(id -> id.kind() == SpiffeId.Kind.REPLICA && id.deployment().equals(deployment));
    if (replica) {
      return null;
    }
    return "the server's certificate (" + (uris.isEmpty() ? "no URI SAN" : String.join(", ", uris))
        + ") is not a control-plane replica of deployment " + deployment
        + " (spiffe://" + deployment + "/replica/<name>); refusing to send it anything";
  }

  private void requireReplica(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server presented no certificate");
    }
    String refusal = refusal(chain[0], deployment);
    if (refusal != null) {
      throw new CertificateException(refusal);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
    requireReplica(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
    requireReplica(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
    requireReplica(chain);
  }

  // Only for dialing replicas: a server's trust in its clients is the access-control interceptor's job.
  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("ReplicaServerTrust checks servers, not clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("ReplicaServerTrust checks servers, not clients");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("ReplicaServerTrust checks servers, not clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
