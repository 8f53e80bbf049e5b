package dev.dialtone.agent.config;

import dev.dialtone.agent.probe.llm.LlmProbe;
import dev.dialtone.agent.probe.sip.SipUri;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Durations;
import dev.dialtone.config.Secret;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Formats;
import dev.dialtone.config.constraint.HostPort;
import dev.dialtone.config.constraint.HttpUrl;
import dev.dialtone.config.constraint.Identifier;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.ReadableFile;
import dev.dialtone.config.constraint.Rules;
import dev.dialtone.security.tls.TlsMaterial;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The region agent's configuration, as read from YAML by {@link #loader(Map)}. Defaults live in
 * the compact constructors; constraints and {@link Checked} rules name each refused field.
 */
public record AgentConfig(
    @NotNull @Identifier String deployment,
    @NotNull @Identifier String region,
    @Identifier String agentId,
    @PositiveDuration Duration reportInterval,
    @PositiveDuration Duration readyWindow,
    Duration warmUp,
    @Valid Http http,
    @NotNull(message = "is required: the replicas to report to (replicas, and tls or plaintext: true)")
    @Valid ControlPlane controlPlane,
    @NotEmpty(message = "at least one probe is required") List<@Valid @NotNull ProbeConfig> probes,
    List<@Valid @NotNull Vantage> vantage) implements Checked {

  public AgentConfig {
    reportInterval = reportInterval == null ? Duration.ofSeconds(1) : reportInterval;
    readyWindow = readyWindow == null ? Duration.ofSeconds(10) : readyWindow;
    warmUp = warmUp == null ? Duration.ofSeconds(10) : warmUp;
    http = http == null ? new Http(null) : http;
    probes = probes == null ? List.of() : List.copyOf(probes);
    vantage = vantage == null ? List.of() : List.copyOf(vantage);
  }

  /** The loader for agent files; {@code environment} is where {@code env:NAME} secrets are looked up. */
  public static ConfigLoader<AgentConfig> loader(Map<String, String> environment) {
    return ConfigLoader.of(AgentConfig.class, environment);
  }

  @Override
  public void check(Rules rules) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < probes.size(); i++) {
      String name = probes.get(i) == null ? null : probes.get(i).name();
      rules.require(name == null || names.add(name), "probes[" + i + "].name", "duplicate probe name '" + name + "'");
    }
  }

  /** The loopback HTTP endpoint for /healthz, /readyz and /metrics; port 0 picks a free one. */
  public record Http(@Min(0) @Max(65535) Integer port) {
    public Http {
      port = port == null ? 9464 : port;
    }
  }

  /**
   * The replicas to stream to and how: over mutual TLS ({@code tls}), or in the clear only when
   * {@code plaintext: true} says so (dev/lab profile).
   */
  public record ControlPlane(
      @NotEmpty(message = "at least one control-plane replica (host:port) is required") List<@NotNull @HostPort String> replicas,
      @PositiveDuration Duration keepAliveTime,
      @PositiveDuration Duration keepAliveTimeout,
      @PositiveDuration Duration reconnectInitial,
      @PositiveDuration Duration reconnectMax,
      @Valid Tls tls,
      Boolean plaintext) implements Checked {
    public ControlPlane {
      plaintext = plaintext != null && plaintext;
      replicas = replicas == null ? List.of() : List.copyOf(replicas);
      keepAliveTime = keepAliveTime == null ? Duration.ofSeconds(10) : keepAliveTime;
      keepAliveTimeout = keepAliveTimeout == null ? Duration.ofSeconds(2) : keepAliveTimeout;
      reconnectInitial = reconnectInitial == null ? Duration.ofMillis(200) : reconnectInitial;
      reconnectMax = reconnectMax == null ? Duration.ofSeconds(5) : reconnectMax;
    }

    @Override
    public void check(Rules rules) {
      rules.require(reconnectMax.compareTo(reconnectInitial) >= 0, "reconnectMax",
          "must not be shorter than reconnectInitial (" + Durations.format(reconnectInitial) + ")");
      rules.require(tls != null || plaintext, "",
          "set tls: { certificate, key, trustBundle } (or plaintext: true, for the dev/lab profile only)");
      rules.require(tls == null || !plaintext, "plaintext", "set either controlPlane.tls or plaintext: true, not both");
    }
  }

  /**
   * The agent's certificate (URI SAN {@code spiffe://<deployment>/region/<region>/agent/<name>}),
   * key and the CA bundle the replicas' certificates chain to; PEM files re-read every {@code refresh}.
   */
  public record Tls(
      @NotNull @ReadableFile String certificate,
      @NotNull @ReadableFile String key,
      @NotNull @ReadableFile String trustBundle,
      @PositiveDuration Duration refresh) implements Checked {
    public Tls {
      refresh = refresh == null ? Duration.ofSeconds(30) : refresh;
    }

    @Override
    public void check(Rules rules) {
      if (certificate == null || key == null || trustBundle == null) {
        return;
      }
      TlsMaterial.problems(Path.of(certificate), Path.of(key), Path.of(trustBundle), Instant.now()).forEach((part, p) ->
          rules.fail(switch (part) {
            case CERTIFICATE -> "certificate";
            case KEY -> "key";
            case TRUST_BUNDLE -> "trustBundle";
          }, p));
    }
  }

  /** One dependency probe: common schedule and thresholds, and exactly one kind block. */
  public record ProbeConfig(
      @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}", message = "must be letters, digits, '.', '_' or '-'") String name,
      Boolean critical,
      @PositiveDuration Duration interval,
      @PositiveDuration Duration timeout,
      @PositiveDuration Duration degradedAbove,
      @Min(1) Integer failAfter,
      @Min(1) Integer recoverAfter,
      @Valid Llm llm,
      @Valid Postgres postgres,
      @Valid Redis redis,
      @Valid Sip sip) implements Checked {
    public ProbeConfig {
      critical = critical == null ? Boolean.TRUE : critical;
      interval = interval == null ? Duration.ofSeconds(1) : interval;
      timeout = timeout == null ? Duration.ofMillis(800) : timeout;
      degradedAbove = degradedAbove == null ? Duration.ofMillis(500) : degradedAbove;
      failAfter = failAfter == null ? 2 : failAfter;
      recoverAfter = recoverAfter == null ? 3 : recoverAfter;
    }

    @Override
    public void check(Rules rules) {
      schedule(rules, interval, timeout);
      rules.require(degradedAbove.compareTo(timeout) < 0, "degradedAbove",
          "must be shorter than timeout (" + Durations.format(timeout) + "), was " + Durations.format(degradedAbove));
      long kinds = Stream.of(llm, postgres, redis, sip).filter(Objects::nonNull).count();
      rules.require(kinds == 1, "", "set exactly one of llm, postgres, redis, sip (found " + kinds + ")");
    }
  }

  static void schedule(Rules rules, Duration interval, Duration timeout) {
    rules.require(timeout.compareTo(interval) < 0, "timeout",
        "must be shorter than interval (" + Durations.format(interval) + "), was " + Durations.format(timeout));
  }

  /** An OpenAI-compatible API. */
  public record Llm(
      @NotNull @HttpUrl String baseUrl,
      LlmProbe.Mode mode,
      String model,
      @NotNull(message = "is required: apiKey: file:/path or env:NAME") Secret apiKey) implements Checked {
    public Llm {
      mode = mode == null ? LlmProbe.Mode.MODELS : mode;
    }

    @Override
    public void check(Rules rules) {
      rules.require(mode != LlmProbe.Mode.COMPLETION || (model != null && !model.isBlank()), "model",
          "is required with mode: completion");
      // Else the HTTP client refuses the header at the first probe, quoting it (the key) in its error.
      rules.require(apiKey == null || LlmProbe.headerSafe(apiKey.reveal()), "apiKey",
          "from " + (apiKey == null ? "" : apiKey.source()) + " holds a character an HTTP header cannot carry (a space,"
              + " a control or non-ASCII character such as a pasted '…'); the value is not shown");
    }
  }

  /** A PostgreSQL database; {@code replicationLagAbove} enables the standby lag check. */
  public record Postgres(
      @NotNull @Pattern(regexp = "jdbc:postgresql://[^/\\s]+(/.*)?", message = "must be jdbc:postgresql://host[:port]/database")
      String jdbcUrl,
      @NotNull String user,
      Secret password,
      @PositiveDuration Duration replicationLagAbove) {}

  /** A Redis server; {@code probeKey} enables the SET/GET round trip. */
  public record Redis(@NotNull String uri, Secret password, String probeKey, @PositiveDuration Duration probeKeyTtl)
      implements Checked {
    public Redis {
      probeKeyTtl = probeKeyTtl == null ? Duration.ofSeconds(10) : probeKeyTtl;
    }

    @Override
    public void check(Rules rules) {
      if (uri == null) {
        return;
      }
      URI u;
      try {
        u = new URI(uri);
      } catch (java.net.URISyntaxException e) {
        rules.fail("uri", "'" + Formats.quotable(uri) + "' is not a URI: must be redis://host:port or rediss://host:port");
        return;
      }
      rules.require(("redis".equals(u.getScheme()) || "rediss".equals(u.getScheme())) && u.getHost() != null, "uri",
          "'" + Formats.quotable(uri) + "' is refused: must be redis://host:port or rediss://host:port");
      rules.require(u.getUserInfo() == null, "uri", "must not contain credentials; use password: file:/path or env:NAME");
    }
  }

  /** A SIP edge or trunk, e.g. {@code sip:edge.example.com:5060;transport=tcp}. */
  public record Sip(@NotNull @dev.dialtone.config.constraint.SipUri String uri) implements Checked {
    @Override
    public void check(Rules rules) {
      transport(rules, "uri", uri);
    }
  }

  static void transport(Rules rules, String field, String uri) {
    if (uri == null) {
      return;
    }
    try {
      SipUri.parse(uri);
    } catch (IllegalArgumentException e) {
      rules.fail(field, e.getMessage());
    }
  }

  /** Another region's public edge, probed with SIP OPTIONS from here. */
  public record Vantage(
      @NotNull @Identifier String region,
      @NotNull @dev.dialtone.config.constraint.SipUri String uri,
      @PositiveDuration Duration interval,
      @PositiveDuration Duration timeout,
      @Min(1) Integer failAfter,
      @Min(1) Integer recoverAfter) implements Checked {
    public Vantage {
      interval = interval == null ? Duration.ofSeconds(1) : interval;
      timeout = timeout == null ? Duration.ofMillis(800) : timeout;
      failAfter = failAfter == null ? 2 : failAfter;
      recoverAfter = recoverAfter == null ? 3 : recoverAfter;
    }

    @Override
    public void check(Rules rules) {
      schedule(rules, interval, timeout);
      transport(rules, "uri", uri);
    }
  }
}
