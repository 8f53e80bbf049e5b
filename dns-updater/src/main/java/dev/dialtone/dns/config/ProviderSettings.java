package dev.dialtone.dns.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/** Which DNS provider to use and how to reach it; secrets are files or the environment, never inline. */
public sealed interface ProviderSettings {

  /** The provider's name, as in the configuration file: {@code rfc2136}, {@code route53}, {@code inmemory}. */
  String name();

  /**
   * RFC 2136 with TSIG.
   *
   * @param server the primary, {@code host:port} (port 53 if omitted)
   * @param tsigKeyFile a BIND key file ({@code tsig-keygen} output)
   * @param timeout per DNS message
   */
  record Rfc2136(String server, Path tsigKeyFile, Duration timeout) implements ProviderSettings {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    public Rfc2136 {
      if (server == null || server.isBlank()) {
        throw new IllegalArgumentException("dns.provider.rfc2136.server: required (host:port)");
      }
      port(server);
      Objects.requireNonNull(tsigKeyFile, "dns.provider.rfc2136.tsigKeyFile: required");
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
      Settings.positive("dns.provider.rfc2136.timeout", timeout);
    }

    /** The host part of {@link #server()}. */
    public String host() {
      int colon = server.lastIndexOf(':');
      return colon < 0 ? server : server.substring(0, colon);
    }

    /** The port part of {@link #server()}, 53 if omitted. */
    public int port() {
      return port(server);
    }

    private static int port(String server) {
      int colon = server.lastIndexOf(':');
      if (colon < 0) {
        return 53;
      }
      try {
        int port = Integer.parseInt(server.substring(colon + 1));
        if (port < 1 || port > 65535) {
          throw new NumberFormatException();
        }
        return port;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("dns.provider.rfc2136.server: bad port in '" + server + "'", e);
      }
    }

    @Override
    public String name() {
      return "rfc2136";
    }
  }

  /**
   * Route 53. Credentials come from the AWS default chain (environment, profile file, role).
   *
   * @param hostedZoneId e.g. {@code Z0123456789ABC}
   * @param endpoint an endpoint override (a local stand-in such as moto), or {@code null}
   * @param syncTimeout how long one apply may wait for {@code INSYNC} and retry throttling, within
   *     {@code dns.retry.budget}; {@code null} for the whole budget
   * @param pollInterval between {@code GetChange} calls
   * @param profile a named profile of the AWS shared config files, or {@code null} for the default chain
   */
  record Route53(String hostedZoneId, URI endpoint, Duration syncTimeout, Duration pollInterval, String profile)
      implements ProviderSettings {
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);

    public Route53 {
      if (hostedZoneId == null || hostedZoneId.isBlank()) {
        throw new IllegalArgumentException("dns.provider.route53.hostedZoneId: required");
      }
      pollInterval = pollInterval == null ? DEFAULT_POLL_INTERVAL : pollInterval;
      if (syncTimeout != null) {
        Settings.positive("dns.provider.route53.syncTimeout", syncTimeout);
      }
      Settings.positive("dns.provider.route53.pollInterval", pollInterval);
    }

    /** Credentials from the default chain. */
    public Route53(String hostedZoneId, URI endpoint, Duration syncTimeout, Duration pollInterval) {
      this(hostedZoneId, endpoint, syncTimeout, pollInterval, null);
    }

    @Override
    public String name() {
      return "route53";
    }
  }

  /** A zone in memory, for tests and the lab. */
  record InMemory() implements ProviderSettings {
    @Override
    public String name() {
      return "inmemory";
    }
  }
}
