package dev.dialtone.controlplane.config;

import dev.dialtone.actuation.RegionConfig;
import dev.dialtone.carrier.CarrierConfig;
import dev.dialtone.carrier.fallback.FallbackConfig;
import dev.dialtone.chaos.drill.DrillScope;
import dev.dialtone.config.Durations;
import dev.dialtone.config.Secret;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Formats;
import dev.dialtone.config.constraint.HttpUrl;
import dev.dialtone.config.constraint.Identifier;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.ReadableFile;
import dev.dialtone.config.constraint.Rules;
import dev.dialtone.controlplane.model.FailbackMode;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.dns.config.DnsConfig;
import dev.dialtone.dns.config.DnsSection;
import dev.dialtone.notify.config.NotifySection;
import dev.dialtone.security.authz.Role;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.tls.TlsMaterial;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A control-plane replica's whole configuration, as read from its one YAML file by {@link
 * ControlPlaneConfigLoader}: coordination, servers, policy, the regions, everything the replica
 * drives (DNS, carriers, outage fallbacks, game days), its notifications ({@code notifications:}, absent
 * for none) and its security. Defaults live in the
 * compact constructors; constraints and {@link Checked} rules name each refused field.
 */
public record ControlPlaneConfig(
    @NotNull @Identifier String deployment,
    @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}", message = "must be letters, digits, '.', '_' or '-'") String replicaId,
    Operation mode,
    @Valid ZooKeeper zookeeper,
    @Valid Grpc grpc,
    @Valid Http http,
    @PositiveDuration Duration tick,
    @Valid Plans plans,
    @Min(value = 10, message = "must be at least 10") Integer historyCap,
    @Valid Policy policy,
    @NotEmpty(message = "at least one region is required") List<@NotNull @Valid RegionConfig> regions,
    @Valid DnsSection dns,
    List<@NotNull @Valid CarrierConfig> carrier,
    @Valid FallbackConfig fallback,
    @NotNull(message = "is required: tls: { certificate, key, trustBundle } (or plaintext: true, for the dev/lab profile only)")
    @Valid Security security,
    @Valid Chaos chaos,
    @Valid NotifySection notifications,
    @Valid StatusPage statusPage) implements Checked {

  /** Whether the replica moves traffic or only says what it would do. */
  public enum Operation {
    /** Plans drive the configured actuators (the default). */
    ACTUATE,
    /** No actuators: decisions are recorded and alerted as recommendations, never committed as placement. */
    RECOMMEND_ONLY
  }

  public ControlPlaneConfig {
    mode = mode == null ? Operation.ACTUATE : mode;
    zookeeper = zookeeper == null ? new ZooKeeper(null, null, null, null) : zookeeper;
    grpc = grpc == null ? new Grpc(null, null, null, null, null) : grpc;
    if (grpc.address() == null) {
      // Plaintext has no proof of who is calling: reachable from this host only, unless told otherwise.
      boolean plaintext = security != null && Boolean.TRUE.equals(security.plaintext());
      grpc = grpc.withAddress(plaintext ? "127.0.0.1" : "0.0.0.0");
    }
    http = http == null ? new Http(null, null) : http;
    tick = tick == null ? Duration.ofMillis(500) : tick;
    plans = plans == null ? new Plans(null, null, null, null) : plans;
    historyCap = historyCap == null ? 1000 : historyCap;
    policy = policy == null ? new Policy(null, null, null, null, null, null, null, null, null) : policy;
    regions = regions == null ? List.of() : List.copyOf(regions);
    carrier = carrier == null ? List.of() : List.copyOf(carrier);
  }

  /** Whether this replica serves the status page ({@code statusPage:} present and not {@code enabled: false}). */
  public boolean servesStatusPage() {
    return statusPage != null && statusPage.enabled();
  }

  /** The same configuration with game days set (or removed with {@code null}). */
  public ControlPlaneConfig withChaos(Chaos newChaos) {
    return new ControlPlaneConfig(deployment, replicaId, mode, zookeeper, grpc, http, tick, plans, historyCap, policy,
        regions, dns, carrier, fallback, security, newChaos, notifications, statusPage);
  }

  /** Why a replica that must actuate refuses to start with no actuator. */
  public static final String NO_ACTUATOR = "no actuator configured: set dns: and/or carrier: to move traffic, or"
      + " mode: RECOMMEND_ONLY to only record and alert what the replica would do";

  /**
   * The DNS actuator's own retry budget when {@code dns.retry.budget} is unset: half of {@code
   * plans.attemptTimeout}, since the plan executor cuts an attempt (apply and read-back) there
   * and retries the step itself; the other half is for the last try and the read-back.
   */
  public Duration dnsRetryBudget() {
    return plans.attemptTimeout().dividedBy(2);
  }

  /** The {@code dns:} section as the DNS actuator takes it, its retry budget fitted to the plans; {@code null} without one. */
  public DnsConfig dnsConfig() {
    return dns == null ? null : dns.toConfig(deployment, dnsRetryBudget());
  }

  /** Whether any actuator is configured. */
  public boolean drivesTraffic() {
    return dns != null || !carrier.isEmpty();
  }

  @Override
  public void check(Rules rules) {
    Set<String> ids = new HashSet<>();
    Map<Integer, String> priorities = new HashMap<>();
    for (int i = 0; i < regions.size(); i++) {
      RegionConfig r = regions.get(i);
      if (r == null) {
        continue;
      }
      rules.require(r.id() == null || ids.add(r.id()), "regions[" + i + "].id", "region " + r.id() + " is listed twice");
      if (r.priority() != null) {
        String other = priorities.putIfAbsent(r.priority(), r.id());
        rules.require(other == null, "regions[" + i + "].priority", "priority " + r.priority() + " is also region "
            + other + "'s: priorities must differ, or the active region would be a coin toss");
      }
    }
    Set<String> carriers = new HashSet<>();
    for (int i = 0; i < carrier.size(); i++) {
      CarrierConfig c = carrier.get(i);
      rules.require(c == null || carriers.add(c.actuatorName()), "carrier[" + i + "]",
          (c == null ? "" : c.actuatorName()) + " is configured twice: give each carrier its own name");
    }
    rules.require(carrier.isEmpty() || fallback != null, "fallback",
        "is required with carrier: outage mode needs somewhere to send callers (queue, pstn, answeringService, voicemail)");
    if (grpc.port() != null && http.port() != null && grpc.port() != 0) {
      boolean sameInterface = grpc.address().equals(http.address()) || anyInterface(grpc.address()) || anyInterface(http.address());
      rules.require(!grpc.port().equals(http.port()) || !sameInterface, "http.port",
          "must differ from grpc.port (" + grpc.port() + "): both servers cannot listen there");
    }
    if (dns != null && dns.retry() != null && dns.retry().budget() != null && plans.attemptTimeout() != null) {
      rules.require(dns.retry().budget().compareTo(dnsRetryBudget()) <= 0, "dns.retry.budget",
          "must fit inside plans.attemptTimeout (" + Durations.format(plans.attemptTimeout()) + "): at most half of it ("
              + Durations.format(dnsRetryBudget()) + "), leaving the rest for the last try and the read-back, was "
              + Durations.format(dns.retry().budget()) + "; or leave it unset to derive it");
    }
    if (dns != null && dns.provider() instanceof DnsSection.Route53 r53 && r53.syncTimeout() != null
        && plans.attemptTimeout() != null && (dns.retry() == null || dns.retry().budget() == null)) {
      // An explicit budget is checked by the dns section itself; here the one derived from the attempt.
      Duration budget = dnsRetryBudget();
      rules.require(r53.syncTimeout().compareTo(budget) <= 0, "dns.provider.route53.syncTimeout",
          "must fit inside the DNS retry budget (" + Durations.format(budget) + ", within plans.attemptTimeout "
              + Durations.format(plans.attemptTimeout()) + "), was " + Durations.format(r53.syncTimeout())
              + ": a change still PENDING then is applied and Route 53 propagates it; or leave it unset");
    }
    if (servesStatusPage()) {
      checkStatusPage(rules);
    }
    // A replica that must actuate but has nothing to drive is refused where it is wired
    // (NO_ACTUATOR), since tests and embedders may bind actuators of their own.
    rules.require(mode != Operation.RECOMMEND_ONLY || !drivesTraffic(), "mode",
        "RECOMMEND_ONLY drives nothing: remove dns:/carrier:, or use mode: ACTUATE");
    if (security != null && security.access() != null) {
      for (String key : security.access().certificates().keySet()) {
        Optional<SpiffeId> id = SpiffeId.parse(key);
        String at = "security.access.certificates[" + key + "]";
        if (id.isEmpty()) {
          rules.fail(at, "'" + key + "' is not a Dialtone SPIFFE id (spiffe://<deployment>/operator/<name> or /replica/<name>)");
        } else if (deployment != null && !id.get().deployment().equals(deployment)) {
          rules.fail(at, "belongs to deployment " + id.get().deployment() + ", not " + deployment);
        }
      }
    }
  }

  private void checkStatusPage(Rules rules) {
    boolean plaintext = security != null && Boolean.TRUE.equals(security.plaintext());
    // Without TLS a token would cross the network in the clear, and so would the deployment's state.
    rules.require(!plaintext || loopback(statusPage.address()), "statusPage.address",
        "'" + statusPage.address() + "' is refused with security.plaintext: without TLS the status page serves"
            + " loopback only (127.0.0.1 or ::1)");
    int port = statusPage.port();
    if (port != 0) {
      rules.require(grpc.port() == null || port != grpc.port() || !sameInterface(grpc.address(), statusPage.address()),
          "statusPage.port", "must differ from grpc.port (" + grpc.port() + "): both servers cannot listen there");
      rules.require(http.port() == null || port != http.port() || !sameInterface(http.address(), statusPage.address()),
          "statusPage.port", "must differ from http.port (" + http.port() + "): both servers cannot listen there");
    }
  }

  private static boolean loopback(String address) {
    return address != null && (Formats.isIpv4(address) && address.startsWith("127.")
        || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1"));
  }

  private static boolean sameInterface(String a, String b) {
    return a == null || b == null || a.equals(b) || anyInterface(a) || anyInterface(b);
  }

  /** What drills may target on this replica: its regions and its chaos section's dependencies. */
  public DrillScope drillScope() {
    Set<String> known = new HashSet<>();
    regions.forEach(r -> known.add(r.id()));
    return new DrillScope(known, chaos == null ? Set.copyOf(DrillScope.DEFAULT_DEPENDENCIES) : Set.copyOf(chaos.dependencies()));
  }

  /**
   * Game days: drills run by the leader. Absent means no game days.
   *
   * @param toxiproxy the Toxiproxy API, e.g. {@code http://127.0.0.1:8474}
   * @param drills the directory of drill YAML files (relative to the configuration file's directory)
   * @param dependencies the dependency names drills may target (proxies {@code <region>-<dependency>})
   * @param pollInterval how often a running drill looks at the world
   * @param healAttempts how many times a drill tries to heal before leaving it to the orphan sweep
   * @param schedulerTick how often the scheduler looks at the clock
   * @param onTimeGrace how late a scheduled run still counts as on time (covers a leader hand-over)
   * @param orphanSweepInterval how often the leader heals toxics whose run died with its leader
   * @param reportsKept how many drill reports ZooKeeper keeps
   * @param claimsKept how many scheduled-run claims ZooKeeper keeps per drill (who ran which time)
   */
  public record Chaos(
      @NotNull(message = "is required: the Toxiproxy API URL, e.g. http://127.0.0.1:8474") @HttpUrl String toxiproxy,
      @NotNull(message = "is required: the directory of drill YAML files, relative to this file") String drills,
      List<@NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}") String> dependencies,
      List<@NotNull @Valid PacketFilterPathConfig> packetFilters,
      @PositiveDuration Duration pollInterval,
      @Min(1) Integer healAttempts,
      @PositiveDuration Duration schedulerTick,
      @PositiveDuration Duration onTimeGrace,
      @PositiveDuration Duration orphanSweepInterval,
      @Min(1) Integer reportsKept,
      @Min(1) Integer claimsKept) implements Checked {
    public Chaos {
      dependencies = dependencies == null ? DrillScope.DEFAULT_DEPENDENCIES : List.copyOf(dependencies);
      packetFilters = packetFilters == null ? List.of() : List.copyOf(packetFilters);
      pollInterval = pollInterval == null ? Duration.ofMillis(100) : pollInterval;
      healAttempts = healAttempts == null ? 5 : healAttempts;
      schedulerTick = schedulerTick == null ? Duration.ofSeconds(1) : schedulerTick;
      onTimeGrace = onTimeGrace == null ? Duration.ofSeconds(30) : onTimeGrace;
      orphanSweepInterval = orphanSweepInterval == null ? Duration.ofSeconds(10) : orphanSweepInterval;
      reportsKept = reportsKept == null ? 100 : reportsKept;
      claimsKept = claimsKept == null ? 10 : claimsKept;
    }

    @Override
    public void check(Rules rules) {
      rules.require(onTimeGrace.compareTo(schedulerTick) >= 0, "onTimeGrace",
          "must be at least schedulerTick (" + Durations.format(schedulerTick) + "), was " + Durations.format(onTimeGrace));
    }

    /** The same section with {@code drills} resolved against {@code base}. */
    public Chaos resolvedAgainst(Path base) {
      return new Chaos(toxiproxy, base.resolve(drills).normalize().toString(), dependencies, packetFilters, pollInterval,
          healAttempts,
          schedulerTick, onTimeGrace, orphanSweepInterval, reportsKept, claimsKept);
    }
  }

  /**
   * A dependency path drills break with packet filters (UDP, which Toxiproxy cannot carry): the
   * drill target {@code path} ({@code <region>-<dependency>}), and where its packets arrive, a
   * network namespace on this replica's host, {@code protocol} and {@code port}.
   */
  public record PacketFilterPathConfig(
      @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}") String path,
      @NotNull String namespace,
      @NotNull dev.dialtone.chaos.fault.PacketFilter.Protocol protocol,
      @NotNull @Min(1) @Max(65535) Integer port) {}

  /** Which connection states end a term: SUSPENDED (stop at the first sign of trouble) or only LOST. */
  public enum StopOn { SUSPENDED, LOST }

  /** The ensemble and the client's session. */
  public record ZooKeeper(
      @NotNull(message = "is required, e.g. \"zk1:2181,zk2:2181,zk3:2181\"") String connect,
      @PositiveDuration Duration sessionTimeout,
      @PositiveDuration Duration connectionTimeout,
      StopOn stopOn) implements Checked {
    public ZooKeeper {
      sessionTimeout = sessionTimeout == null ? Duration.ofSeconds(5) : sessionTimeout;
      connectionTimeout = connectionTimeout == null ? Duration.ofSeconds(3) : connectionTimeout;
      stopOn = stopOn == null ? StopOn.SUSPENDED : stopOn;
    }

    @Override
    public void check(Rules rules) {
      if (connect == null) {
        return;
      }
      // host:port[,host:port...][/chroot], as the ZooKeeper client reads it.
      String hosts = connect.contains("/") ? connect.substring(0, connect.indexOf('/')) : connect;
      String chroot = connect.contains("/") ? connect.substring(connect.indexOf('/')) : "";
      for (String hp : hosts.split(",", -1)) {
        if (!Formats.isHostPort(hp.strip())) {
          rules.fail("connect", "'" + connect + "' is refused: each server must be host:port with a port 1-65535"
              + " (e.g. \"zk1:2181,zk2:2181,zk3:2181\"), not '" + hp.strip() + "'");
          return;
        }
      }
      rules.require(chroot.isEmpty() || chroot.matches("(/[A-Za-z0-9._-]+)+"), "connect",
          "'" + chroot + "' is not a ZooKeeper chroot path (e.g. /dialtone)");
    }
  }

  private static boolean anyInterface(String address) {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("0:0:0:0:0:0:0:0");
  }

  /**
   * The gRPC server for agents and operators; keepalive so dead peers are seen in about a second.
   * {@code address} defaults to 0.0.0.0 with TLS and to 127.0.0.1 in the plaintext profile.
   */
  public record Grpc(
      @Min(0) @Max(65535) Integer port,
      String address,
      @PositiveDuration Duration keepAliveTime,
      @PositiveDuration Duration keepAliveTimeout,
      @PositiveDuration Duration permitKeepAliveTime) implements Checked {
    public Grpc {
      port = port == null ? 7443 : port;
      keepAliveTime = keepAliveTime == null ? Duration.ofSeconds(1) : keepAliveTime;
      keepAliveTimeout = keepAliveTimeout == null ? Duration.ofSeconds(1) : keepAliveTimeout;
      permitKeepAliveTime = permitKeepAliveTime == null ? Duration.ofSeconds(1) : permitKeepAliveTime;
    }

    Grpc withAddress(String newAddress) {
      return new Grpc(port, newAddress, keepAliveTime, keepAliveTimeout, permitKeepAliveTime);
    }

    @Override
    public void check(Rules rules) {
      rules.require(address != null && (Formats.isIpv4(address) || Formats.isIpv6(address)), "address",
          "'" + address + "' is refused: must be an IP address to listen on (0.0.0.0 for all, 127.0.0.1 for loopback)");
      rules.require(permitKeepAliveTime.compareTo(keepAliveTime) <= 0, "permitKeepAliveTime",
          "must not exceed keepAliveTime (" + Durations.format(keepAliveTime)
              + "), or agents pinging as often as replicas do are disconnected");
    }
  }

  /** The HTTP endpoint for {@code /metrics}; port 0 picks a free one; loopback unless told otherwise. */
  public record Http(@Min(0) @Max(65535) Integer port, String address) implements Checked {
    public Http {
      port = port == null ? 9465 : port;
      address = address == null ? "127.0.0.1" : address;
    }

    @Override
    public void check(Rules rules) {
      rules.require(Formats.isIpv4(address) || Formats.isIpv6(address), "address",
          "'" + address + "' is refused: must be an IP address to listen on (127.0.0.1 for loopback)");
    }
  }

  /**
   * The status page for people, over HTTPS with the replica's own certificate (plain HTTP on
   * loopback only in the plaintext profile), behind the same roles as the admin API: a viewer's
   * client certificate or a bearer token. Present means on, unless {@code enabled: false}.
   *
   * @param port where it listens (default 9443; 0 picks a free one)
   * @param address the interface (default loopback: put it behind a proxy, or set 0.0.0.0 deliberately)
   * @param refresh how often the page's data is re-read while someone watches (the page updates live)
   * @param readBackEvery how often each actuator is read back for the page, at most (a provider's API is rate-limited)
   * @param signInFor how long a token sign-in lasts in the browser before it asks again
   */
  public record StatusPage(
      Boolean enabled,
      @Min(0) @Max(65535) Integer port,
      String address,
      @PositiveDuration Duration refresh,
      @PositiveDuration Duration readBackEvery,
      @PositiveDuration Duration signInFor) implements Checked {
    public StatusPage {
      enabled = enabled == null || enabled;
      port = port == null ? 9443 : port;
      address = address == null ? "127.0.0.1" : address;
      refresh = refresh == null ? Duration.ofMillis(500) : refresh;
      readBackEvery = readBackEvery == null ? Duration.ofSeconds(5) : readBackEvery;
      signInFor = signInFor == null ? Duration.ofHours(12) : signInFor;
    }

    @Override
    public void check(Rules rules) {
      rules.require(Formats.isIpv4(address) || Formats.isIpv6(address), "address",
          "'" + address + "' is refused: must be an IP address to listen on (127.0.0.1 for loopback)");
      // The page promises a change within 2 s of it happening.
      rules.require(refresh.compareTo(Duration.ofSeconds(1)) <= 0, "refresh",
          "must be at most 1s, or a failover would show on the page later than 2s after it happened, was "
              + Durations.format(refresh));
    }
  }

  /** Per-step timeouts and retry budget of actuation plans. */
  public record Plans(
      @PositiveDuration Duration attemptTimeout,
      @PositiveDuration Duration stepBudget,
      @PositiveDuration Duration initialBackoff,
      @PositiveDuration Duration maxBackoff) implements Checked {
    public Plans {
      attemptTimeout = attemptTimeout == null ? Duration.ofSeconds(5) : attemptTimeout;
      stepBudget = stepBudget == null ? Duration.ofSeconds(30) : stepBudget;
      initialBackoff = initialBackoff == null ? Duration.ofMillis(100) : initialBackoff;
      maxBackoff = maxBackoff == null ? Duration.ofSeconds(2) : maxBackoff;
    }

    @Override
    public void check(Rules rules) {
      rules.require(stepBudget.compareTo(attemptTimeout) >= 0, "stepBudget",
          "must be at least attemptTimeout (" + Durations.format(attemptTimeout) + "), was " + Durations.format(stepBudget));
      rules.require(initialBackoff.compareTo(maxBackoff) <= 0, "initialBackoff",
          "must not exceed maxBackoff (" + Durations.format(maxBackoff) + "), was " + Durations.format(initialBackoff));
    }
  }

  /** The placement policy; unset fields take {@link PolicyConfig#defaults()}. */
  public record Policy(
      Mode mode, @Min(1) Integer failAfter, @Min(1) Integer recoverAfter, Duration holdDown, @Valid Failback failback,
      @PositiveDuration Duration staleAfter, Boolean outageAutoExit, Duration provisioningHealthyFor,
      @Min(0) Integer vantageQuorum) {

    /** As the policy's typed config. */
    public PolicyConfig toPolicyConfig() {
      PolicyConfig d = PolicyConfig.defaults();
      Failback f = failback == null ? new Failback(null, null, null) : failback;
      return new PolicyConfig(
          mode == null ? d.mode() : mode,
          failAfter == null ? d.failAfter() : failAfter,
          recoverAfter == null ? d.recoverAfter() : recoverAfter,
          holdDown == null ? d.holdDown() : holdDown,
          f.mode() == null ? d.failback() : f.mode(),
          f.healthyFor() == null ? d.failbackHealthyFor() : f.healthyFor(),
          staleAfter == null ? d.staleAfter() : staleAfter,
          outageAutoExit == null ? d.outageAutoExit() : outageAutoExit,
          provisioningHealthyFor == null ? d.provisioningHealthyFor() : provisioningHealthyFor,
          f.manualHoldFor() == null ? d.manualHoldFor() : f.manualHoldFor(),
          vantageQuorum == null ? d.vantageQuorum() : vantageQuorum);
    }
  }

  /**
   * Failback by itself (after {@code healthyFor}) or only by hand; {@code manualHoldFor}: how long
   * it leaves an operator's switchover alone.
   */
  public record Failback(FailbackMode mode, Duration healthyFor, Duration manualHoldFor) {}

  /**
   * How the replica proves itself and whom it lets in: {@code tls} (mutual TLS), or an explicit
   * {@code plaintext: true} for the dev/lab profile only; {@code access} binds roles to callers;
   * {@code zookeeper} authenticates to the ensemble and locks Dialtone's znodes to that identity.
   */
  public record Security(@Valid Tls tls, Boolean plaintext, @Valid Access access, @Valid ZooKeeperAuth zookeeper)
      implements Checked {
    public Security {
      plaintext = plaintext != null && plaintext;
      access = access == null ? new Access(null, null) : access;
    }

    @Override
    public void check(Rules rules) {
      rules.require(tls != null || plaintext, "",
          "must set tls: { certificate, key, trustBundle } (or plaintext: true, for the dev/lab profile only)");
      rules.require(tls == null || !plaintext, "plaintext", "set either security.tls or plaintext: true, not both");
      rules.require(tls == null || !tls.requireClientCertificate() || access.tokens().isEmpty(), "tls.requireClientCertificate",
          "must be false when security.access.tokens are configured: token holders present no client certificate");
    }
  }

  /**
   * PEM files, re-read every {@code refresh} (rotation without restart). {@code
   * requireClientCertificate: false} lets certificate-less callers finish the handshake so they can
   * present a bearer token; they are still refused unless a token identifies them.
   */
  public record Tls(
      @NotNull @ReadableFile String certificate,
      @NotNull @ReadableFile String key,
      @NotNull @ReadableFile String trustBundle,
      @PositiveDuration Duration refresh,
      Boolean requireClientCertificate) implements Checked {
    public Tls {
      refresh = refresh == null ? Duration.ofSeconds(30) : refresh;
      requireClientCertificate = requireClientCertificate == null || requireClientCertificate;
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

  /**
   * Roles of callers: {@code certificates} maps a client certificate's SPIFFE id (URI SAN) to a
   * role; {@code tokens} are bearer tokens stored only as SHA-256 hashes. Agents need no entry:
   * their identity names their region.
   */
  public record Access(Map<String, @NotNull(message = "needs a role: viewer, operator or admin") Role> certificates,
      List<@NotNull @Valid Token> tokens) implements Checked {
    public Access {
      certificates = certificates == null ? Map.of() : Map.copyOf(certificates);
      tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    @Override
    public void check(Rules rules) {
      Set<String> names = new HashSet<>();
      for (int i = 0; i < tokens.size(); i++) {
        Token t = tokens.get(i);
        rules.require(t == null || t.name() == null || names.add(t.name()), "tokens[" + i + "].name",
            "token " + (t == null ? "" : t.name()) + " is listed twice");
      }
    }
  }

  /** A bearer token's name (recorded in the history), role and lower-case hex SHA-256. */
  public record Token(
      @NotNull(message = "is required (the history records it)") String name,
      @NotNull(message = "is required: viewer, operator or admin") Role role,
      @NotNull @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits: the SHA-256 of the token, never the token itself")
      String sha256) {}

  /** Digest authentication (and ACLs on every znode Dialtone creates), optionally over TLS. */
  public record ZooKeeperAuth(
      @NotNull @Pattern(regexp = "[^:]+", message = "must not contain ':'") String user,
      @NotNull(message = "is required: file:/path or env:NAME") Secret password,
      @Valid ZooKeeperTls tls) {}

  /**
   * ZooKeeper client TLS (Netty client socket): key and trust stores as PEM, JKS or PKCS#12 files,
   * the type taken from the extension; passwords are secret references where the store has one.
   */
  public record ZooKeeperTls(@NotNull @ReadableFile String keyStore, Secret keyStorePassword,
      @NotNull @ReadableFile String trustStore, Secret trustStorePassword) {}
}
