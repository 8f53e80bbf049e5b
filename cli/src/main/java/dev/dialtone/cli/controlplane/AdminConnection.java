package dev.dialtone.cli.controlplane;

import io.grpc.CallCredentials;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import dev.dialtone.security.authz.BearerToken;
import dev.dialtone.security.identity.PeerCertificates;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.tls.ReplicaServerTrust;
import io.grpc.util.CertificateUtils;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.nio.charset.StandardCharsets;
import dev.dialtone.security.tls.TlsMaterial;
import java.nio.file.Files;
import java.time.Instant;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's channel to a replica from {@link AdminOptions}: TLS with the replica's CA, a
 * client certificate or a bearer token as identity, or plaintext only when asked for.
 */
final class AdminConnection {
  final ManagedChannel channel;
  final Optional<CallCredentials> token;

  private AdminConnection(ManagedChannel channel, Optional<CallCredentials> token) {
    this.channel = channel;
    this.token = token;
  }

  /** A usage problem (or, with {@code config}, a file or address that cannot be used), said without any secret. */
  static final class Problem extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean config;

    Problem(String message) {
      this(message, false);
    }

    Problem(String message, boolean config) {
      super(message);
      this.config = config;
    }
  }

  static AdminConnection open(AdminOptions o, String host, int port, Map<String, String> env) throws Problem {
    Path ca = o.tlsCa;
    Path cert = o.tlsCert;
    Path key = o.tlsKey;
    if (o.tlsDir != null) {
      ca = ca != null ? ca : o.tlsDir.resolve("ca.crt");
      cert = cert != null ? cert : o.tlsDir.resolve("client.crt");
      key = key != null ? key : o.tlsDir.resolve("client.key");
    }
    Optional<String> token = token(o.tokenFile, env);
    ChannelCredentials credentials;
    if (o.plaintext) {
      // A plaintext replica with tokens configured takes them in the clear; only over loopback,
      // where nobody else is on the wire.
      if (token.isPresent() && !loopback(host)) {
        throw new Problem("--plaintext would send the bearer token in the clear to " + host
            + "; use TLS (--tls-ca), or a loopback address (127.0.0.1, ::1, localhost)");
      }
      credentials = InsecureChannelCredentials.create();
    } else {
      if (ca == null) {
        throw new Problem("--tls-ca (or DIALTONE_TLS_CA, or --tls-dir) is required; --plaintext only for a dev/lab replica");
      }
      if ((cert == null) != (key == null)) {
        throw new Problem("--tls-cert and --tls-key go together");
      }
      String caOption = o.tlsCa != null ? "--tls-ca" : "--tls-dir (ca.crt)";
      String certOption = o.tlsCert != null ? "--tls-cert" : "--tls-dir (client.crt)";
      String keyOption = o.tlsKey != null ? "--tls-key" : "--tls-dir (client.key)";
      Map<TlsMaterial.Part, String> problems = TlsMaterial.problems(cert, key, ca, Instant.now());
      for (var p : problems.entrySet()) {
        String option = switch (p.getKey()) {
          case CERTIFICATE -> certOption;
          case KEY -> keyOption;
          case TRUST_BUNDLE -> caOption;
        };
        throw new Problem(option + ": " + p.getValue(), true);
      }
      String deployment = deployment(o.deployment, cert, certOption);
      try {
        // The CA's checks, host name included, then the replica identity: a certificate of an
        // agent or of another deployment chains to the same CA but gets no token and no request.
        TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder()
            .trustManager(ReplicaServerTrust.forTrustBundle(readable(ca, "--tls-ca").toPath(), deployment));
        if (cert != null) {
          b.keyManager(readable(cert, "--tls-cert"), readable(key, "--tls-key"));
        }
        credentials = b.build();
      } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
        throw new Problem("cannot load TLS files: " + e.getMessage());
      }
    }
    try {
      java.net.InetAddress.getAllByName(host);
    } catch (java.net.UnknownHostException e) {
      throw new Problem("--server: cannot resolve host '" + host + "' (give HOST:PORT of a control-plane replica)", true);
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress(host, port, credentials).build();
    return new AdminConnection(channel, token.map(BearerToken::callCredentials));
  }

  /** The deployment whose replicas to trust: {@code --deployment}, else the client certificate's. */
  private static String deployment(String option, Path cert, String certOption) throws Problem {
    Optional<String> fromCertificate = Optional.empty();
    if (cert != null) {
      try (InputStream in = Files.newInputStream(cert)) {
        X509Certificate[] chain = CertificateUtils.getX509Certificates(in);
        fromCertificate = chain.length == 0 ? Optional.empty()
            : PeerCertificates.spiffeIds(chain[0]).stream().map(SpiffeId::deployment).findFirst();
      } catch (IOException | GeneralSecurityException e) {
        throw new Problem(certOption + ": cannot read " + cert + " (" + e.getClass().getSimpleName() + ")", true);
      }
    }
    if (option != null && !option.isBlank()) {
      if (fromCertificate.isPresent() && !fromCertificate.get().equals(option.strip())) {
        throw new Problem("--deployment " + option.strip() + " but " + certOption + " is of deployment " + fromCertificate.get());
      }
      return option.strip();
    }
    return fromCertificate.orElseThrow(() -> new Problem("--deployment (or DIALTONE_DEPLOYMENT) is required "
        + (cert == null ? "without a client certificate" : "when " + certOption + " has no Dialtone SPIFFE id")
        + ": only a replica of that deployment (spiffe://<deployment>/replica/<id>) is trusted"));
  }

  private static boolean loopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (!dev.dialtone.config.constraint.Formats.isIpv4(literal) && !dev.dialtone.config.constraint.Formats.isIpv6(literal)) {
      return false; // a name could resolve anywhere
    }
    try {
      return java.net.InetAddress.getByName(literal).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static java.io.File readable(Path path, String option) throws Problem {
    if (!Files.isReadable(path)) {
      throw new Problem(option + ": cannot read " + path);
    }
    return path.toFile();
  }

  private static Optional<String> token(Path file, Map<String, String> env) throws Problem {
    if (file != null) {
      try {
        String token = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw new Problem("--token-file: " + file + " is empty");
        }
        return Optional.of(token);
      } catch (IOException e) {
        throw new Problem("--token-file: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    String fromEnv = env.get("DIALTONE_TOKEN");
    return fromEnv == null || fromEnv.isBlank() ? Optional.empty() : Optional.of(fromEnv.strip());
  }
}
