package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.model.FailbackMode;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.security.authz.Role;
import dev.dialtone.config.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A control-plane replica's configuration, as read from YAML. Defaults live in the compact
 * constructors; {@link ControlPlaneConfigLoader} validates the tree before the replica starts.
 */
public record ControlPlaneConfig(
    String deployment,
    String replicaId,
    ZooKeeper zookeeper,
    Grpc grpc,
    Http http,
    Duration tick,
    Plans plans,
    Integer historyCap,
    Policy policy,
    List<Region> regions,
    Security security,
    Chaos chaos) {

  public ControlPlaneConfig {
    zookeeper = zookeeper == null ? new ZooKeeper(null, null, null, null) : zookeeper;
    grpc = grpc == null ? new Grpc(null, null, null, null) : grpc;
    http = http == null ? new Http(null) : http;
    tick = tick == null ? Duration.ofMillis(500) : tick;
    plans = plans == null ? new Plans(null, null, null, null) : plans;
    historyCap = historyCap == null ? 1000 : historyCap;
    policy = policy == null ? new Policy(null, null, null, null, null, null, null, null) : policy;
    regions = regions == null ? List.of() : List.copyOf(regions);
    security = security == null ? new Security(null, null, null, null) : security;
  }

  /** The same configuration with game days set (or removed with {@code null}). */
  public ControlPlaneConfig withChaos(Chaos newChaos) {
    return new ControlPlaneConfig(deployment, replicaId, zookeeper, grpc, http, tick, plans, historyCap, policy, regions,
        security, newChaos);
  }

  /**
   * Game days: drills run by the leader. Absent means no game days.
   *
   * @param toxiproxy the Toxiproxy API, e.g. {@code http://127.0.0.1:8474}
   * @param drills the directory of drill YAML files (relative to the configuration file's directory)
   * @param pollInterval how often a running drill looks at the world
   * @param healAttempts how many times a drill tries to heal before leaving it to the orphan sweep
   * @param schedulerTick how often the scheduler looks at the clock
   * @param onTimeGrace how late a scheduled run still counts as on time (covers a leader hand-over)
   * @param orphanSweepInterval how often the leader heals toxics whose run died with its leader
   * @param reportsKept how many drill reports ZooKeeper keeps
   */
  public record Chaos(
      String toxiproxy, String drills, Duration pollInterval, Integer healAttempts, Duration schedulerTick,
      Duration onTimeGrace, Duration orphanSweepInterval, Integer reportsKept) {
    public Chaos {
      pollInterval = pollInterval == null ? Duration.ofMillis(100) : pollInterval;
      healAttempts = healAttempts == null ? 5 : healAttempts;
      schedulerTick = schedulerTick == null ? Duration.ofSeconds(1) : schedulerTick;
      onTimeGrace = onTimeGrace == null ? Duration.ofSeconds(30) : onTimeGrace;
      orphanSweepInterval = orphanSweepInterval == null ? Duration.ofSeconds(10) : orphanSweepInterval;
      reportsKept = reportsKept == null ? 100 : reportsKept;
    }

    /** The same section with {@code drills} resolved against {@code base}. */
    public Chaos resolvedAgainst(java.nio.file.Path base) {
      return new Chaos(toxiproxy, base.resolve(drills).normalize().toString(), pollInterval, healAttempts, schedulerTick,
          onTimeGrace, orphanSweepInterval, reportsKept);
    }
  }

  /** Which connection states end a term: SUSPENDED (stop at the first sign of trouble) or only LOST. */
  public enum StopOn { SUSPENDED, LOST }

  /** The ensemble and the client's session. */
  public record ZooKeeper(String connect, Duration sessionTimeout, Duration connectionTimeout, StopOn stopOn) {
    public ZooKeeper {
      sessionTimeout = sessionTimeout == null ? Duration.ofSeconds(5) : sessionTimeout;
      connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(3) : connectionTimeout;
      stopOn = stopOn == null ? StopOn.SUSPENDED : stopOn;
    }
  }

  /** The gRPC server for agents and operators; keepalive so dead peers are seen in about a second. */
  public record Grpc(Integer port, Duration keepAliveTime, Duration keepAliveTimeout, Duration permitKeepAliveTime) {
    public Grpc {
      port = port == null ? 7443 : port;
      keepAliveTime = keepAliveTime == null ? Duration.ofSeconds(1) : keepAliveTime;
      keepAliveTimeout = keepAliveTimeout == null ? Duration.ofSeconds(1) : keepAliveTimeout;
      permitKeepAliveTime = permitKeepAliveTime == null ? Duration.ofSeconds(1) : permitKeepAliveTime;
    }
  }

  /** The HTTP endpoint for {@code /metrics}; port 0 picks a free one. */
  public record Http(Integer port) {
    public Http {
      port = port == null ? 9465 : port;
    }
  }

  /** Per-step timeouts and retry budget of actuation plans. */
  public record Plans(Duration attemptTimeout, Duration stepBudget, Duration initialBackoff, Duration maxBackoff) {
    public Plans {
      attemptTimeout = attemptTimeout == null ? Duration.ofSeconds(5) : attemptTimeout;
      stepBudget = stepBudget == null ? Duration.ofSeconds(30) : stepBudget;
      initialBackoff = initialBackoff == null ? Duration.ofMillis(100) : initialBackoff;
      maxBackoff = maxBackoff == null ? Duration.ofSeconds(2) : maxBackoff;
    }
  }

  /** The placement policy; unset fields take {@link PolicyConfig#defaults()}. */
  public record Policy(
      Mode mode, Integer failAfter, Integer recoverAfter, Duration holdDown, Failback failback,
      Duration staleAfter, Boolean outageAutoExit, Duration provisioningHealthyFor) {

    /** As the policy's typed config (which validates the ranges). */
    public PolicyConfig toPolicyConfig() {
      PolicyConfig d = PolicyConfig.defaults();
      Failback f = failback == null ? new Failback(null, null) : failback;
      return new PolicyConfig(
          mode == null ? d.mode() : mode,
          failAfter == null ? d.failAfter() : failAfter,
          recoverAfter == null ? d.recoverAfter() : recoverAfter,
          holdDown == null ? d.holdDown() : holdDown,
          f.mode() == null ? d.failback() : f.mode(),
          f.healthyFor() == null ? d.failbackHealthyFor() : f.healthyFor(),
          staleAfter == null ? d.staleAfter() : staleAfter,
          outageAutoExit == null ? d.outageAutoExit() : outageAutoExit,
          provisioningHealthyFor == null ? d.provisioningHealthyFor() : provisioningHealthyFor);
    }
  }

  /** Failback by itself (after {@code healthyFor}) or only by hand. */
  public record Failback(FailbackMode mode, Duration healthyFor) {}

  /** A region registered at start (as STANDBY) unless ZooKeeper already knows it. */
  public record Region(String id, Integer priority, Edge edge) {}

  /** A region's public edge. */
  public record Edge(List<String> a, List<String> aaaa, String sip, String cname) {
    public Edge {
      a = a == null ? List.of() : List.copyOf(a);
      aaaa = aaaa == null ? List.of() : List.copyOf(aaaa);
    }
  }

  /**
   * How the replica proves itself and whom it lets in: {@code tls} (mutual TLS), or an explicit
   * {@code plaintext: true} for the dev/lab profile only; {@code access} binds roles to callers;
   * {@code zookeeper} authenticates to the ensemble and locks Dialtone's znodes to that identity.
   */
  public record Security(Tls tls, Boolean plaintext, Access access, ZooKeeperAuth zookeeper) {
    public Security {
      plaintext = plaintext != null && plaintext;
      access = access == null ? new Access(null, null) : access;
    }
  }

  /**
   * PEM files, re-read every {@code refresh} (rotation without restart). {@code
   * requireClientCertificate: false} lets certificate-less callers finish the handshake so they can
   * present a bearer token; they are still refused unless a token identifies them.
   */
  public record Tls(String certificate, String key, String trustBundle, Duration refresh, Boolean requireClientCertificate) {
    public Tls {
      refresh = refresh == null ? Duration.ofSeconds(30) : refresh;
      requireClientCertificate = requireClientCertificate == null || requireClientCertificate;
    }
  }

  /**
   * Roles of callers: {@code certificates} maps a client certificate's SPIFFE id (URI SAN) to a
   * role; {@code tokens} are bearer tokens stored only as SHA-256 hashes. Agents need no entry:
   * their identity names their region.
   */
  public record Access(Map<String, Role> certificates, List<Token> tokens) {
    public Access {
      certificates = certificates == null ? Map.of() : Map.copyOf(certificates);
      tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }
  }

  /** A bearer token's name (recorded in the history), role and lower-case hex SHA-256. */
  public record Token(String name, Role role, String sha256) {}

  /** Digest authentication (and ACLs on every znode Dialtone creates), optionally over TLS. */
  public record ZooKeeperAuth(String user, Secret password, ZooKeeperTls tls) {}

  /**
   * ZooKeeper client TLS (Netty client socket): key and trust stores as PEM, JKS or PKCS#12 files,
   * the type taken from the extension; passwords are secret references where the store has one.
   */
  public record ZooKeeperTls(String keyStore, Secret keyStorePassword, String trustStore, Secret trustStorePassword) {}
}
