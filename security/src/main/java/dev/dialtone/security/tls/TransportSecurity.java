package dev.dialtone.security.tls;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC transport security of one process: mutual TLS from {@link TlsFiles} reloaded when the
 * files change (rotation without restart), or plaintext in the explicit dev/lab profile only.
 */
public sealed interface TransportSecurity extends AutoCloseable {

  ServerCredentials serverCredentials();

  /**
   * Credentials for dialing a control-plane replica of {@code deployment}: with TLS, the server's
   * certificate must chain to the trust bundle and carry {@code spiffe://<deployment>/replica/<name>}.
   */
  ChannelCredentials channelCredentials(String deployment);

  /**
   * A JDK TLS context over the same (reloading) key and trust managers, for a process's HTTPS
   * server beside its gRPC one; empty in the plaintext profile.
   */
  Optional<SSLContext> sslContext();

  @Override
  void close();

  /**
   * Mutual TLS; the files are re-read every {@link TlsFiles#refresh()} on {@code scheduler}.
   *
   * @param requireClientCertificate false lets certificate-less clients finish the handshake so
   *     they can present a bearer token instead (an admin port for people); agents' ports require one
   */
  static TransportSecurity mutualTls(TlsFiles files, ScheduledExecutorService scheduler, boolean requireClientCertificate) {
    return new MutualTls(files, scheduler, requireClientCertificate);
  }

  /**
   * No TLS: nobody can prove who they are, so anyone who can reach the port can report health, and
   * only bearer tokens sent in the clear (if configured) guard admin actions. For the dev/lab
   * profile only; logs a loud warning naming {@code who}.
   */
  static TransportSecurity plaintext(String who) {
    LoggerFactory.getLogger(TransportSecurity.class)
        .warn("!!! {}: gRPC WITHOUT TLS (dev/lab profile). Anyone who can reach this port can send health "
            + "reports, and only bearer tokens sent in the clear guard admin actions. Never run this in production. !!!", who);
    return new Plaintext();
  }

  /**
   * Why the TLS handshake under {@code error} failed, in the trust manager's own words if it
   * refused the peer; empty if {@code error} is no TLS failure. gRPC itself says only "io exception".
   */
  static Optional<String> handshakeFailure(Throwable error) {
    Throwable tls = null;
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof CertificateException) {
        tls = cause; // beats the engine's "General OpenSslEngine problem"
        break;
      }
      if (cause instanceof SSLException && tls == null) {
        tls = cause;
      }
    }
    return Optional.ofNullable(tls).map(Throwable::getMessage);
  }

  /** Mutual TLS with reloading key and trust managers. */
  final class MutualTls implements TransportSecurity {
    private static final Logger log = LoggerFactory.getLogger(MutualTls.class);

    private final AdvancedTlsX509KeyManager keyManager = new AdvancedTlsX509KeyManager();
    private final AdvancedTlsX509TrustManager trustManager;
    private final CredentialReloader reloader;
    private final boolean requireClientCertificate;

    MutualTls(TlsFiles files, ScheduledExecutorService scheduler, boolean requireClientCertificate) {
      this.requireClientCertificate = requireClientCertificate;
      var problems = files.problems("tls");
      if (!problems.isEmpty()) {
        throw new IllegalArgumentException(String.join("; ", problems));
      }
      try {
        // Certificate chain to a trusted CA and validity dates; who the peer is (its SPIFFE id) is
        // checked by the access-control interceptor on a server and by ReplicaServerTrust on a
        // client, not by host name.
        trustManager =
            AdvancedTlsX509TrustManager.newBuilder()
                .setVerification(AdvancedTlsX509TrustManager.Verification.CERTIFICATE_ONLY_VERIFICATION)
                .build();
        reloader = new CredentialReloader(files, keyManager, trustManager, scheduler);
        log.info("mTLS on: certificate {}, trust {}, re-read every {}", files.certificateChain(), files.trustBundle(), files.refresh());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load TLS files: " + e.getMessage(), e);
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException("invalid TLS material (" + files.certificateChain() + ", "
            + files.trustBundle() + "): " + e.getMessage(), e);
      }
    }

    @Override
    public ServerCredentials serverCredentials() {
      return TlsServerCredentials.newBuilder()
          .keyManager(keyManager)
          .trustManager(trustManager)
          .clientAuth(requireClientCertificate ? TlsServerCredentials.ClientAuth.REQUIRE : TlsServerCredentials.ClientAuth.OPTIONAL)
          .build();
    }

    @Override
    public ChannelCredentials channelCredentials(String deployment) {
      return TlsChannelCredentials.newBuilder().keyManager(keyManager)
          .trustManager(new ReplicaServerTrust(trustManager, deployment)).build();
    }

    @Override
    public Optional<SSLContext> sslContext() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
        return Optional.of(context);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("the JDK offers no TLS context: " + e.getMessage(), e);
      }
    }

    @Override
    public void close() {
      reloader.close();
    }
  }

  /** Plaintext, dev/lab only. */
  final class Plaintext implements TransportSecurity {
    private Plaintext() {}

    @Override
    public ServerCredentials serverCredentials() {
      return InsecureServerCredentials.create();
    }

    @Override
    public ChannelCredentials channelCredentials(String deployment) {
      return InsecureChannelCredentials.create();
    }

    @Override
    public Optional<SSLContext> sslContext() {
      return Optional.empty();
    }

    @Override
    public void close() {}
  }
}
