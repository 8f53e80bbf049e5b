package dev.dialtone.agent.config;

import dev.dialtone.agent.probe.llm.LlmProbe;
import java.time.Duration;
import java.util.List;

/**
 * The region agent's configuration, as read from YAML. Defaults live in the compact
 * constructors; {@link AgentConfigLoader} validates the whole tree before the agent starts.
 */
public record AgentConfig(
    String deployment,
    String region,
    String agentId,
    Duration reportInterval,
    Duration readyWindow,
    Http http,
    ControlPlane controlPlane,
    List<ProbeConfig> probes,
    List<Vantage> vantage) {

  public AgentConfig {
    reportInterval = reportInterval == null ? Duration.ofSeconds(1) : reportInterval;
    readyWindow = readyWindow == null ? Duration.ofSeconds(10) : readyWindow;
    http = http == null ? new Http(null) : http;
    probes = probes == null ? List.of() : List.copyOf(probes);
    vantage = vantage == null ? List.of() : List.copyOf(vantage);
  }

  /** The loopback HTTP endpoint for /healthz, /readyz and /metrics; port 0 picks a free one. */
  public record Http(Integer port) {
    public Http {
      port = port == null ? 9464 : port;
    }
  }

  /**
   * The replicas to stream to and how: over mutual TLS ({@code tls}), or in the clear only when
   * {@code plaintext: true} says so (dev/lab profile).
   */
  public record ControlPlane(
      List<String> replicas,
      Duration keepAliveTime,
      Duration keepAliveTimeout,
      Duration reconnectInitial,
      Duration reconnectMax,
      Tls tls,
      Boolean plaintext) {
    public ControlPlane {
      plaintext = plaintext != null && plaintext;
      replicas = replicas == null ? List.of() : List.copyOf(replicas);
      keepAliveTime = keepAliveTime == null ? Duration.ofSeconds(10) : keepAliveTime;
      keepAliveTimeout = keepAliveTimeout == null ? Duration.ofSeconds(2) : keepAliveTimeout;
      reconnectInitial = reconnectInitial == null ? Duration.ofMillis(200) : reconnectInitial;
      reconnectMax = reconnectMax == null ? Duration.ofSeconds(5) : reconnectMax;
    }
  }

  /**
   * The agent's certificate (URI SAN {@code spiffe://<deployment>/region/<region>/agent/<name>}),
   * key and the CA bundle the replicas' certificates chain to; PEM files re-read every {@code refresh}.
   */
  public record Tls(String certificate, String key, String trustBundle, Duration refresh) {
    public Tls {
      refresh = refresh == null ? Duration.ofSeconds(30) : refresh;
    }
  }

  /** One dependency probe: common schedule and thresholds, and exactly one kind block. */
  public record ProbeConfig(
      String name,
      Boolean critical,
      Duration interval,
      Duration timeout,
      Duration degradedAbove,
      Integer failAfter,
      Integer recoverAfter,
      Llm llm,
      Postgres postgres,
      Redis redis,
      Sip sip) {
    public ProbeConfig {
      critical = critical == null ? Boolean.TRUE : critical;
      interval = interval == null ? Duration.ofSeconds(1) : interval;
      timeout = timeout == null ? Duration.ofMillis(800) : timeout;
      degradedAbove = degradedAbove == null ? Duration.ofMillis(500) : degradedAbove;
      failAfter = failAfter == null ? 2 : failAfter;
      recoverAfter = recoverAfter == null ? 3 : recoverAfter;
    }
  }

  /** An OpenAI-compatible API. */
  public record Llm(String baseUrl, LlmProbe.Mode mode, String model, SecretRef apiKey) {
    public Llm {
      mode = mode == null ? LlmProbe.Mode.MODELS : mode;
    }
  }

  /** A PostgreSQL database; {@code replicationLagAbove} enables the standby lag check. */
  public record Postgres(String jdbcUrl, String user, SecretRef password, Duration replicationLagAbove) {}

  /** A Redis server; {@code probeKey} enables the SET/GET round trip. */
  public record Redis(String uri, SecretRef password, String probeKey, Duration probeKeyTtl) {
    public Redis {
      probeKeyTtl = probeKeyTtl == null ? Duration.ofSeconds(10) : probeKeyTtl;
    }
  }

  /** A SIP edge or trunk, e.g. {@code sip:edge.example.com:5060;transport=tcp}. */
  public record Sip(String uri) {}

  /** Another region's public edge, probed with SIP OPTIONS from here. */
  public record Vantage(
      String region, String uri, Duration interval, Duration timeout, Integer failAfter, Integer recoverAfter) {
    public Vantage {
      interval = interval == null ? Duration.ofSeconds(1) : interval;
      timeout = timeout == null ? Duration.ofMillis(800) : timeout;
      failAfter = failAfter == null ? 2 : failAfter;
      recoverAfter = recoverAfter == null ? 3 : recoverAfter;
    }
  }
}
