package dev.dialtone.lab;

import static dev.dialtone.lab.LabConfigFiles.duration;
import static dev.dialtone.lab.LabConfigFiles.map;

import dev.dialtone.agent.RegionAgent;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.kamailio.KamailioConfig;
import dev.dialtone.chaos.fault.PacketFilterPaths;
import dev.dialtone.config.Secret;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.dns.config.DnsConfigFile;
import dev.dialtone.testkit.bind.BindServer;
import dev.dialtone.testkit.kamailio.KamailioServer;
import dev.dialtone.testkit.netns.NetworkNamespace;
import dev.dialtone.testkit.process.Binaries.MissingPeerException;
import dev.dialtone.testkit.process.FreePorts;
import dev.dialtone.testkit.sipp.SippUas;
import dev.dialtone.testkit.toxiproxy.ToxiproxyServer;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import dev.dialtone.security.pki.CertificateAuthority.Issued.PemFiles;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.HealthStatus;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system on one machine: a 3-node ZooKeeper ensemble, Toxiproxy, two or three regions
 * (PostgreSQL, Redis, an LLM stand-in and a SIP edge each, with a region agent), BIND for DNS,
 * Kamailio for carrier routing with a voicemail fallback, three control-plane replicas driving
 * both, and SIPp placing a trickle of calls. Everything runs on loopback under one work directory
 * and is torn down in reverse order by {@link #close()}, also from a shutdown hook.
 */
public final class Lab implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lab.class);
  private static final int REPLICAS = 3;
  /** The longest a lab may run: the call trickle stops by itself after this. */
  public static final Duration MAX_RUN = Duration.ofMinutes(30);
  static final String ZONE = "voice.lab.";

  private final LabSettings settings;
  private final Consumer<String> console;
  private final Clock clock;
  private final Deque<AutoCloseable> teardown = new ArrayDeque<>();
  private final List<LabRegion> regions = new ArrayList<>();
  private final List<ControlPlaneReplica> replicas = new ArrayList<>();
  private final Map<String, String> secrets = new HashMap<>();
  private final LabCallEvents callEvents = new LabCallEvents();
  private final PacketFilterPaths packetFilters = new PacketFilterPaths();
  private ZooKeeperEnsemble zookeeper;
  private ToxiproxyServer toxiproxy;
  private BindServer bind;
  private KamailioServer kamailio;
  private LabCalls calls;
  private LabPki pki;
  private LabDrills drills;
  private boolean closed;

  private Lab(LabSettings settings, Consumer<String> console, Clock clock) {
    this.settings = settings;
    this.console = console;
    this.clock = clock;
  }

  /** A lab not started yet: register {@link #close()} (e.g. on Ctrl-C) before {@link #start()}. */
  public static Lab create(LabSettings settings, Consumer<String> console) {
    return new Lab(settings, console, Clock.systemUTC());
  }

  /** Creates and starts a lab, tearing down what started if a part fails. */
  public static Lab start(LabSettings settings, Consumer<String> console) throws Exception {
    return create(settings, console).start();
  }

  /** Starts everything and returns once a region is active with carrier and DNS pointing at it and calls flow. */
  public Lab start() throws Exception {
    try {
      startAll();
      return this;
    } catch (Exception | Error e) {
      close();
      throw e;
    }
  }

  private void startAll() throws Exception {
    Path work = settings.workDir();
    Files.createDirectories(work);
    // PostgreSQL runs as nobody when the lab runs as root: it must be able to reach its data dir.
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    Instant t0 = clock.instant();
    startCoordinationAndFaults(work);
    startRegions(work);
    SippUas voicemail = startCallRouting(work);
    LabConfigFiles files = new LabConfigFiles(work.resolve("config"));
    List<String> replicaAddresses = startControlPlane(work, files, voicemail);
    startAgents(files, replicaAddresses);
    this.drills = started(new LabDrills(this, this::adminChannel, clock));
    say("waiting for the leader to activate " + regions.get(0).id() + " (carrier and DNS read back) and every region to be ready");
    awaitActive(regions.get(0).id(), Duration.ofSeconds(60));
    awaitAllReady(Duration.ofSeconds(60));
    step("SIPp call trickle: " + settings.callsPerSecond() + " calls/s through Kamailio");
    calls = started(LabCalls.start(work.resolve("calls"), kamailio.sipPort(), settings.callsPerSecond(), MAX_RUN, clock));
    callEvents.attach(calls);
    console.accept(String.format("lab up in %.1f s: %d regions, %d replicas, leader %s, work dir %s",
        Duration.between(t0, clock.instant()).toMillis() / 1000.0, regions.size(), replicas.size(),
        leader().map(r -> r.replica().config().replicaId()).orElse("?"), work));
  }

  private void startCoordinationAndFaults(Path work) throws Exception {
    step("ZooKeeper ensemble (3 servers)");
    zookeeper = started(new ZooKeeperEnsemble(work.resolve("zookeeper"), 3));
    zookeeper.start();
    step("Toxiproxy");
    toxiproxy = started(new ToxiproxyServer(work.resolve("toxiproxy")));
    toxiproxy.start();
  }

  private void startRegions(Path work) throws Exception {
    boolean namespaces = namespacesUsable();
    for (int i = 0; i < settings.regions().size(); i++) {
      String id = settings.regions().get(i);
      step("region " + id + ": PostgreSQL, Redis, LLM stand-in behind Toxiproxy; SIP edge (SIPp)"
          + (namespaces ? " in its own network namespace" : " on loopback"));
      Optional<NetworkNamespace> ns = namespaces ? Optional.of(started(NetworkNamespace.create())) : Optional.empty();
      LabRegion region = started(new LabRegion(id, i, work.resolve("regions").resolve(id), secret("llm-" + id), ns));
      region.start(toxiproxy, packetFilters);
      regions.add(region);
    }
  }

  /** Kamailio (listening where the edges' namespaces can be reached), its voicemail fallback, and BIND. */
  private SippUas startCallRouting(Path work) throws Exception {
    step("voicemail fallback (SIPp) and Kamailio");
    SippUas voicemail = started(new SippUas(work.resolve("voicemail")));
    voicemail.start();
    List<String> edgeHosts = regions.stream().flatMap(r -> r.hostAddress().stream()).toList();
    kamailio = started(new KamailioServer(work.resolve("kamailio"), 1, List.of(), edgeHosts));
    kamailio.start();
    step("BIND for zone " + ZONE + " (RFC 2136 updates signed with TSIG)");
    bind = started(new BindServer(work.resolve("bind"), ZONE));
    bind.start();
    return voicemail;
  }

  /** The replicas, each with both actuators bound; returns their gRPC addresses for the agents. */
  private List<String> startControlPlane(Path work, LabConfigFiles files, SippUas voicemail) throws Exception {
    if (settings.mutualTls()) {
      step("throwaway CA and certificates for replicas, agents and the operator (mTLS on)");
      pki = LabPki.create(work.resolve("pki"), LabSettings.DEPLOYMENT, clock.instant());
      pki.operator();
    }
    Path zookeeperPassword = writeSecret("zookeeper");
    Path drillsDir = LabDrillFiles.write(work.resolve("drills"), settings.extraDrills());
    DnsConfigFile.Loaded dns = DnsConfigFile.load(files.write("dns.yaml", dnsConfig()));
    KamailioConfig carrier = KamailioConfig.of(kamailio.rpcUrl(), Secret.of(kamailio.rpcToken(), "the lab's Kamailio"),
        new KamailioConfig.Database(kamailio.jdbcUrl(), kamailio.databaseUser(), Secret.of(kamailio.databasePassword(), "the lab's Kamailio")));
    FallbackPlan fallback = FallbackPlan.of(FallbackDestination.voicemail(voicemail.sipUri()));
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= REPLICAS; i++) {
      int port = FreePorts.tcpAndUdp();
      Path file = files.write("cp-" + i + ".yaml", replicaConfig("cp-" + i, port, drillsDir, zookeeperPassword));
      ControlPlaneConfig config = new ControlPlaneConfigLoader().load(file);
      step("control-plane replica cp-" + i + " on 127.0.0.1:" + port);
      ControlPlaneReplica replica =
          started(new ControlPlaneReplica(config, new LabActuators(LabSettings.DEPLOYMENT, carrier, fallback, dns, callEvents, packetFilters)));
      replica.start();
      replicas.add(replica);
      addresses.add("127.0.0.1:" + port);
    }
    return addresses;
  }

  private void startAgents(LabConfigFiles files, List<String> replicaAddresses) throws IOException {
    var agentLoader = AgentConfig.loader(Map.of());
    for (LabRegion region : regions) {
      Path file = files.write("agent-" + region.id() + ".yaml", agentConfig(region, replicaAddresses));
      step("region agent " + region.id() + " (" + settings.profile().name().toLowerCase() + " probes)");
      started(RegionAgent.create(agentLoader.load(file))).start();
    }
  }

  /** SIP edges go into network namespaces (for UDP faults) when this machine allows it: root, ip, nft. */
  private boolean namespacesUsable() {
    try {
      List<String> swept = NetworkNamespace.sweepLeftovers();
      if (!swept.isEmpty()) {
        log.info("[lab] removed network namespaces left by dead runs: {}", swept);
      }
      return true;
    } catch (MissingPeerException e) {
      say("no network namespaces here (" + e.getMessage() + "): SIP edges on loopback, no UDP faults");
      return false;
    }
  }

  private Map<String, Object> dnsConfig() {
    return map(
        "deployment", LabSettings.DEPLOYMENT,
        "zookeeper", map("connect", zookeeper.connectString()),
        "regions", LabConfigFiles.regions(regions),
        "dns", map(
            "provider", map("rfc2136", map("server", "127.0.0.1:" + bind.port(), "zone", ZONE,
                "tsigKeyFile", bind.tsigKeyFile().toString(), "timeout", "2s")),
            // A records only: SRV targets need host names, and the lab's edges are bare loopback addresses.
            "records", List.of(map("name", "call." + ZONE, "type", "A", "ttl", "5s")),
            "fallback", List.of(map("id", "voicemail", "a", List.of("127.0.9.1"))),
            "ownerTtl", "5s"));
  }

  private Map<String, Object> replicaConfig(String id, int grpcPort, Path drills, Path zookeeperPassword) {
    ProbeProfile p = settings.profile();
    return map(
        "deployment", LabSettings.DEPLOYMENT,
        "replicaId", id,
        "zookeeper", map("connect", zookeeper.connectString(), "sessionTimeout", "3s", "connectionTimeout", "2s"),
        "grpc", map("port", grpcPort),
        "http", map("port", FreePorts.tcpAndUdp()),
        "tick", duration(p.interval().dividedBy(4)),
        "policy", map(
            "mode", "AUTO",
            "failAfter", 1,
            "recoverAfter", 2,
            "holdDown", duration(settings.holdDown()),
            "failback", map("mode", settings.automaticFailback() ? "AUTOMATIC" : "MANUAL", "healthyFor", "5s"),
            "staleAfter", duration(p.interval().multipliedBy(5).plusSeconds(1))),
        "regions", LabConfigFiles.regions(regions),
        "security", replicaSecurity(id, zookeeperPassword),
        "chaos", map(
            "toxiproxy", "http://127.0.0.1:" + toxiproxy.apiPort(),
            "drills", drills.toString(),
            "pollInterval", "50ms",
            "orphanSweepInterval", "2s"));
  }

  private Map<String, Object> replicaSecurity(String id, Path zookeeperPassword) {
    Map<String, Object> zk = map("user", "dialtone", "password", "file:" + zookeeperPassword);
    if (pki == null) {
      return map("plaintext", true, "zookeeper", zk);
    }
    PemFiles cert = pki.replica(id);
    return map(
        "tls", map("certificate", cert.certificateChain().toString(), "key", cert.privateKey().toString(),
            "trustBundle", pki.trustBundle().toString(), "requireClientCertificate", true),
        "access", map("certificates", Map.of(pki.operatorId(), "admin")),
        "zookeeper", zk);
  }

  private Map<String, Object> agentTransport(LabRegion r) {
    if (pki == null) {
      return map("plaintext", true);
    }
    PemFiles cert = pki.agent(r.id(), r.id() + "-agent");
    return map("tls", map("certificate", cert.certificateChain().toString(), "key", cert.privateKey().toString(),
        "trustBundle", pki.trustBundle().toString()));
  }

  private Map<String, Object> agentConfig(LabRegion r, List<String> replicaAddresses) throws IOException {
    ProbeProfile p = settings.profile();
    Path llmKey = writeSecret("llm-" + r.id());
    List<Object> probes = List.of(
        probe(LabRegion.LLM, map("llm", map("baseUrl", r.llmBaseUrl(), "apiKey", "file:" + llmKey))),
        probe(LabRegion.DB, map("postgres", map("jdbcUrl", r.jdbcUrl(), "user", "postgres"))),
        probe(LabRegion.CACHE, map("redis", map("uri", r.redisUri(), "probeKey", "dialtone:probe:" + r.id()))),
        probe(LabRegion.CARRIER, map("sip", map("uri", r.edge().sipUri()))));
    return map(
        "deployment", LabSettings.DEPLOYMENT,
        "region", r.id(),
        "agentId", r.id() + "-agent",
        "reportInterval", duration(p.interval()),
        "http", map("port", 0),
        "controlPlane", withAll(map("replicas", replicaAddresses, "keepAliveTime", "2s", "keepAliveTimeout", "1s"),
            agentTransport(r)),
        "probes", probes);
  }

  private static Map<String, Object> withAll(Map<String, Object> m, Map<String, Object> more) {
    m.putAll(more);
    return m;
  }

  private Map<String, Object> probe(String name, Map<String, Object> kind) {
    ProbeProfile p = settings.profile();
    Map<String, Object> m = map("name", name, "interval", duration(p.interval()), "timeout", duration(p.timeout()),
        "degradedAbove", duration(p.degradedAbove()), "failAfter", 2, "recoverAfter", 2);
    m.putAll(kind);
    return m;
  }

  /** A random secret for this lab run, remembered so tests can prove it never reaches a log. */
  private String secret(String name) {
    return secrets.computeIfAbsent(name, n -> {
      byte[] b = new byte[24];
      new SecureRandom().nextBytes(b);
      return "sk-lab-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    });
  }

  private Path writeSecret(String name) throws IOException {
    Path dir = settings.workDir().resolve("secrets");
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".key");
    Files.writeString(file, secret(name) + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** Every secret this lab generated (LLM keys, TSIG), for the no-secrets-in-logs check. */
  public List<String> secrets() {
    List<String> all = new ArrayList<>(secrets.values());
    all.add(bind.tsigSecret());
    return all;
  }

  private void awaitActive(String region, Duration timeout) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (clock.instant().isBefore(deadline)) {
      Optional<Placement> p = placement();
      if (p.isPresent() && region.equals(p.get().activeRegion()) && !planInFlight()) {
        return;
      }
      Thread.sleep(100); // a bounded poll of real asynchrony: agents, election and actuation
    }
    throw new IllegalStateException("the leader did not make " + region + " active within " + timeout
        + "; placement: " + placement().map(Placement::toString).orElse("none") + "; see logs under " + settings.workDir());
  }

  /** The current placement as the leader stored it. */
  public Optional<Placement> placement() {
    try {
      return anyReplica().replica().store().placement().map(v -> v.value());
    } catch (StateException e) {
      return Optional.empty();
    }
  }

  private boolean planInFlight() {
    try {
      return anyReplica().replica().store().plan().map(p -> p.state().inFlight()).orElse(false);
    } catch (StateException e) {
      return true;
    }
  }

  private synchronized ControlPlaneReplica anyReplica() {
    return replicas.get(0);
  }

  /** Drills run as an operator runs them, through the leader's AdminService; closed with the lab. */
  public LabDrills drills() {
    return drills;
  }

  /** Waits until the leader sees every region UP and ready: a drill's preflight needs a healthy standby. */
  private void awaitAllReady(Duration timeout) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    List<String> notReady = List.of("?");
    while (clock.instant().isBefore(deadline)) {
      try {
        notReady = drills.leaderAdmin().getStatus(GetStatusRequest.getDefaultInstance()).getRegionsList().stream()
            .filter(r -> r.getHealth() != HealthStatus.HEALTH_STATUS_UP || !r.getReady())
            .map(r -> r.getId() + " (" + r.getHealth() + (r.getReady() ? "" : ", not ready") + ")").toList();
        if (notReady.isEmpty()) {
          return;
        }
      } catch (StatusRuntimeException | IllegalStateException e) {
        notReady = List.of("unknown: " + e.getMessage()); // the leader may be changing hands
      }
      Thread.sleep(100); // a bounded poll of real asynchrony: agents' first reports
    }
    throw new IllegalStateException("regions not ready within " + timeout + ": " + notReady + "; see logs under " + settings.workDir());
  }

  private ManagedChannel adminChannel(ControlPlaneReplica replica) {
    ChannelCredentials credentials = pki == null ? InsecureChannelCredentials.create() : pki.operatorCredentials();
    return NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort(), credentials).build();
  }

  /** Where the operator's {@code ca.crt}, {@code client.crt} and {@code client.key} are, for {@code dialtone --tls-dir}. */
  public Optional<Path> operatorTlsDir() {
    return Optional.ofNullable(pki).map(LabPki::operatorDir);
  }

  /** The replica leading now, if any. */
  public Optional<ControlPlaneReplica> leader() {
    return replicas().stream().filter(r -> r.replica().leadership().term().isPresent()).findFirst();
  }

  /** The replicas still running, in start order. */
  public synchronized List<ControlPlaneReplica> replicas() {
    return List.copyOf(replicas);
  }

  /** Stops a replica for good, as a crash or a retired host would: the others elect a new leader. */
  public synchronized void stopReplica(ControlPlaneReplica replica) {
    replicas.remove(replica);
    replica.close();
  }

  public List<LabRegion> regions() {
    return List.copyOf(regions);
  }

  public ToxiproxyServer toxiproxy() {
    return toxiproxy;
  }

  public ZooKeeperEnsemble zookeeper() {
    return zookeeper;
  }

  public BindServer bind() {
    return bind;
  }

  public KamailioServer kamailio() {
    return kamailio;
  }

  public LabCalls calls() {
    return calls;
  }

  public LabSettings settings() {
    return settings;
  }

  private void step(String what) {
    say("starting " + what);
  }

  private void say(String what) {
    log.info("[lab] {}", what);
    console.accept("  " + what);
  }

  /** Registers a resource for teardown; refused once the lab is closing (Ctrl-C during start). */
  private synchronized <T extends AutoCloseable> T started(T resource) {
    if (closed) {
      throw new IllegalStateException("the lab is shutting down");
    }
    teardown.push(resource);
    return resource;
  }

  /** Stops everything in reverse order of start; safe to call twice and from a shutdown hook. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    console.accept("  tearing the lab down");
    while (!teardown.isEmpty()) {
      AutoCloseable c = teardown.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("[lab] could not stop {}: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
  }
}
