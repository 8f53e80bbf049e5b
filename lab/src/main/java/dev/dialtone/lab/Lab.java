package dev.dialtone.lab;

import static dev.dialtone.lab.LabConfigFiles.duration;
import static dev.dialtone.lab.LabConfigFiles.map;

import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.bind.BindServer;
import dev.dialtone.peers.dialtone.DialtoneProcess;
import dev.dialtone.peers.kamailio.KamailioServer;
import dev.dialtone.peers.netns.NetworkNamespace;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.process.Binaries.MissingPeerException;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.peers.zookeeper.ZooKeeperServers;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.Placement;
import dev.dialtone.security.pki.CertificateAuthority.Issued.PemFiles;
import eu.rekawek.toxiproxy.Proxy;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployment shape of DESIGN.md on one machine, started as an SRE starts it: a 3-server
 * ZooKeeper ensemble (ZooKeeper's own server processes), Toxiproxy, two or three regions
 * (PostgreSQL, Redis, an LLM stand-in and a SIP edge each), BIND for DNS, Kamailio (with its own
 * PostgreSQL) for carrier routing with an outage-mode fallback chain, then three control-plane
 * replicas and one region agent per region, each its own OS process started with {@code dialtone
 * control-plane --config} or {@code dialtone agent --config} from the YAML files written under
 * {@code <work>/config}; and SIPp placing a trickle of calls. Every link a fault drill cuts
 * (replica to ZooKeeper, agents to replica, replica to Kamailio) runs through Toxiproxy. Everything
 * is torn down in reverse order by {@link #close()}, also from a shutdown hook.
 */
public final class Lab implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Lab.class);
  private static final int REPLICAS = 3;
  /** The longest a lab runs unless its settings say otherwise: the call trickle stops by itself after this. */
  public static final Duration MAX_RUN = Duration.ofMinutes(30);
  static final String ZONE = "voice.lab.";
  /** ZooKeeper's tick: sessions expire on tick boundaries, so a short one keeps takeover close to the session timeout. */
  static final Duration ZOOKEEPER_TICK = Duration.ofMillis(250);
  /** The replicas' ZooKeeper session. */
  public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);

  private final LabSettings settings;
  private final Consumer<String> console;
  private final Clock clock;
  private final Deque<AutoCloseable> teardown = new ArrayDeque<>();
  private final List<LabRegion> regions = new ArrayList<>();
  /** The spare region: its peers and agent run, no replica's file names it, a pipeline registers it. */
  private LabRegion spare;
  private final Map<String, LabProcess> processes = new LinkedHashMap<>();
  private final Map<String, String> secrets = new HashMap<>();
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private ZooKeeperServers zookeeper;
  private ToxiproxyServer toxiproxy;
  private BindServer bind;
  private KamailioServer kamailio;
  private PostgresServer routingDatabase;
  private LabFallbacks fallbacks;
  private LabNotifications notifications;
  private final Map<String, Integer> statusPagePorts = new java.util.concurrent.ConcurrentHashMap<>();
  private Path statusPageToken;
  private LabCalls calls;
  private LabPki pki;
  private LabDrills drills;
  private LabFaults faults;
  private final LabClocks clocks;
  private Duration upIn;
  private Path scratch;
  private boolean closed;

  private Lab(LabSettings settings, Consumer<String> console, Clock clock) {
    this.settings = settings;
    this.console = console;
    this.clock = clock;
    this.clocks = new LabClocks(settings.workDir());
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
    LabWorkDir.prepare(work);
    if (!LabWorkDir.traversableByOthers(work) && "root".equals(System.getProperty("user.name"))) {
      scratch = Files.createTempDirectory("dialtone-lab-");
      Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
      say("PostgreSQL runs as nobody and cannot traverse " + work + ": its data goes to " + scratch
          + " (linked from the work directory, removed with the lab)");
    }
    Instant t0 = clock.instant();
    // Every peer is created first (its ports and secrets known), then the Dialtone processes are
    // started, and the slow peers (ZooKeeper, each region's services, Kamailio) start while those
    // JVMs boot. A deployment's processes come up in any order and retry; on two cores the overlap
    // is most of the start-up time.
    try (ExecutorService peerStarts = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("lab-peer-", 0).factory())) {
      // Every PostgreSQL in the lab copies one initdb, begun first: it is the longest CPU-bound step.
      Path templateDir = LabWorkDir.databaseDir(work, scratch, "postgres-template");
      Future<Void> template = peerStarts.submit(() -> {
        PostgresServer.createTemplate(templateDir);
        return null;
      });
      prepareCoordination(work);
      prepareRegions(work, templateDir);
      prepareCallRouting(work, templateDir);
      LabConfigFiles files = new LabConfigFiles(work.resolve("config"));
      startControlPlane(work, files);
      startAgents(files); // while the replicas start: agents reconnect until one answers
      startPeers(peerStarts, template);
    }
    awaitReplicasServing(Duration.ofSeconds(60));
    this.drills = started(new LabDrills(this, clock));
    LabState state = LabState.of(toxiproxy.apiPort(), processes.values(), zookeeper);
    state.write(work.resolve("lab.json"));
    this.faults = new LabFaults(state);
    say("waiting for every region to be ready and the leader to activate " + regions.get(0).id()
        + " (carrier and DNS read back)");
    awaitAllReady(Duration.ofSeconds(60));
    awaitActive(regions.get(0).id(), Duration.ofSeconds(60));
    step("SIPp call trickle: " + settings.callsPerSecond() + " calls/s through Kamailio");
    calls = started(LabCalls.start(work.resolve("calls"), kamailio.sipPort(), settings.callsPerSecond(), settings.maxRun(), clock));
    upIn = Duration.between(t0, clock.instant());
    writePipelineFile(work.resolve("pipeline.json"));
    console.accept(String.format("lab up in %.1f s: %d regions, %d replica processes, %d agent processes, leader %s,"
            + " work dir %s", upIn.toMillis() / 1000.0, regions.size(), REPLICAS, running().size(),
        leader().map(LabProcess::name).orElse("?"), work));
    leader().flatMap(this::statusPage).ifPresent(url -> console.accept("status page: " + url + " (every replica serves"
        + " one; sign in with the token in " + statusPageToken + "; the certificate is the lab's CA, "
        + pki.trustBundle() + ")"));
  }

  private void prepareCoordination(Path work) throws Exception {
    step("Toxiproxy");
    toxiproxy = started(new ToxiproxyServer(work.resolve("toxiproxy")));
    toxiproxy.start();
    zookeeper = started(new ZooKeeperServers(work.resolve("zookeeper"), 3, ZOOKEEPER_TICK,
        DialtoneProcess.jvmOptions("zookeeper")));
  }

  /** @param postgresTemplate where the cluster every lab PostgreSQL copies is being made */
  private void prepareRegions(Path work, Path postgresTemplate) throws Exception {
    boolean namespaces = namespacesUsable();
    for (int i = 0; i < settings.regions().size(); i++) {
      String id = settings.regions().get(i);
      Optional<NetworkNamespace> ns = namespaces ? Optional.of(started(NetworkNamespace.create())) : Optional.empty();
      LabRegion region = started(new LabRegion(id, i, work.resolve("regions").resolve(id),
          LabWorkDir.databaseDir(work, scratch, "regions/" + id + "/postgres"), postgresTemplate, secret("llm-" + id), ns));
      region.expose(toxiproxy);
      regions.add(region);
    }
    if (!settings.spareRegion().isEmpty()) {
      String id = settings.spareRegion();
      Optional<NetworkNamespace> ns = namespaces ? Optional.of(started(NetworkNamespace.create())) : Optional.empty();
      spare = started(new LabRegion(id, regions.size(), work.resolve("regions").resolve(id),
          LabWorkDir.databaseDir(work, scratch, "regions/" + id + "/postgres"), postgresTemplate, secret("llm-" + id), ns));
      spare.expose(toxiproxy);
    }
  }

  /** The registered regions, then the spare one if there is one: every region whose peers and agent run. */
  private List<LabRegion> running() {
    List<LabRegion> all = new ArrayList<>(regions);
    if (spare != null) {
      all.add(spare);
    }
    return all;
  }

  /** The fallback destinations, Kamailio (listening where the edges' namespaces reach it) and BIND. */
  private void prepareCallRouting(Path work, Path postgresTemplate) throws Exception {
    fallbacks = started(new LabFallbacks(work.resolve("fallback")));
    List<String> edgeHosts = running().stream().flatMap(r -> r.hostAddress().stream()).toList();
    routingDatabase = started(new PostgresServer(LabWorkDir.databaseDir(work, scratch, "kamailio/postgres"), postgresTemplate));
    kamailio = started(new KamailioServer(work.resolve("kamailio"), routingDatabase, 1, List.of(), edgeHosts));
    // BIND first: its TSIG key file is named in the replicas' files, which are checked at start.
    step("BIND for zone " + ZONE + " (RFC 2136 updates signed with TSIG)");
    bind = started(new BindServer(work.resolve("bind"), ZONE));
    bind.start();
  }

  /**
   * The peers the Dialtone processes reach over the network, started while those processes boot:
   * the ensemble, each region and the call-routing chain side by side (mostly waiting on elections,
   * initdb and readiness), the first failure reported as it is.
   */
  private void startPeers(ExecutorService pool, Future<Void> template) throws Exception {
    boolean namespaces = regions.stream().anyMatch(r -> r.namespaceName().isPresent());
    List<PeerStart> starts = new ArrayList<>();
    starts.add(new PeerStart("ZooKeeper ensemble (3 server processes)", zookeeper::start));
    for (LabRegion region : running()) {
      starts.add(new PeerStart((region == spare ? "spare " : "") + "region " + region.id() + ": PostgreSQL, Redis, LLM stand-in behind Toxiproxy; SIP edge (SIPp)"
          + (namespaces ? " in its own network namespace" : " on loopback"), () -> {
            template.get();
            region.start();
          }));
    }
    starts.add(new PeerStart("outage-mode destinations (SIPp: support queue, voicemail, answering service) and Kamailio with its PostgreSQL",
        () -> {
          fallbacks.start();
          template.get();
          routingDatabase.start();
          kamailio.start();
        }));
    List<Future<Void>> running = new ArrayList<>();
    for (PeerStart start : starts) {
      step(start.what());
      running.add(pool.submit(() -> {
        start.action().run();
        return null;
      }));
    }
    for (Future<Void> f : running) {
      try {
        f.get();
      } catch (ExecutionException e) {
        running.forEach(other -> other.cancel(true));
        Throwable cause = e.getCause() instanceof ExecutionException inner ? inner.getCause() : e.getCause();
        throw cause instanceof Exception failure ? failure : e;
      }
    }
  }

  /** One peer (or chain of peers) to start, and what the console calls it. */
  private record PeerStart(String what, PeerAction action) {}

  @FunctionalInterface
  private interface PeerAction {
    void run() throws Exception;
  }

  private void startControlPlane(Path work, LabConfigFiles files) throws Exception {
    if (settings.mutualTls()) {
      step("throwaway CA and certificates for replicas, agents and the operator (mTLS on)");
      pki = LabPki.create(work.resolve("pki"), LabSettings.DEPLOYMENT, clock.instant());
      pki.operator();
    }
    Path zookeeperPassword = writeSecret("zookeeper", secret("zookeeper"));
    Path rpcToken = writeSecret("kamailio-rpc", kamailio.rpcToken());
    Path dbPassword = writeSecret("kamailio-db", kamailio.databasePassword());
    Path drillsDir = LabDrillFiles.write(work.resolve("drills"), settings.extraDrills());
    step("notification receiver: the replicas' webhook 'lab-webhook' posts to a local stand-in for an incident"
        + " webhook, which keeps what it gets in " + work.resolve("notifications").resolve("received.jsonl"));
    String webhookAuthorization = "Bearer " + secret("notify-webhook");
    notifications = started(LabNotifications.start(work.resolve("notifications"), webhookAuthorization, clock));
    Map<String, Object> notify = map(
        "sweepInterval", "250ms",
        "retry", map("initialBackoff", "500ms", "maxBackoff", "5s", "giveUpAfter", "10m"),
        "receivers", List.of(map("name", "lab-webhook", "webhook", map(
            "url", "file:" + writeSecret("notify-webhook-url", notifications.url()),
            "authorization", "file:" + writeSecret("notify-webhook-authorization", webhookAuthorization)))));
    // The replicas reach Kamailio through Toxiproxy, so a drill or test can slow or cut that link.
    int rpcPort = listen("kamailio-rpc", kamailio.rpcUrl().replaceAll("^http://([^/]+)/.*$", "$1"));
    int dbPort = listen("kamailio-db", "127.0.0.1:" + kamailio.postgres().port());
    Map<String, Object> carrier = map("kamailio", map(
        "rpcUrl", "http://127.0.0.1:" + rpcPort + "/RPC",
        "rpcToken", "file:" + rpcToken,
        "database", map("jdbcUrl", "jdbc:postgresql://127.0.0.1:" + dbPort + "/" + KamailioServer.DATABASE,
            "user", kamailio.databaseUser(), "password", "file:" + dbPassword),
        "rpcTimeout", "2s"));
    for (int i = 1; i <= REPLICAS; i++) {
      String id = "cp-" + i;
      int grpcPort = FreePorts.tcpAndUdp();
      int httpPort = FreePorts.tcpAndUdp();
      if (pki != null) {
        statusPagePorts.put(id, FreePorts.tcpAndUdp());
      }
      List<String> zkProxies = new ArrayList<>();
      List<String> zkConnect = new ArrayList<>();
      for (ZooKeeperServers.Server s : zookeeper.servers()) {
        String proxy = id + "-zk" + s.id();
        zkProxies.add(proxy);
        zkConnect.add("127.0.0.1:" + listen(proxy, "127.0.0.1:" + s.clientPort()));
      }
      String agentProxy = id + "-agents";
      listen(agentProxy, "127.0.0.1:" + grpcPort);
      Path file = files.write(id + ".yaml", replicaConfig(id, grpcPort, httpPort, String.join(",", zkConnect), drillsDir,
          zookeeperPassword, carrier, notify));
      step("control-plane replica " + id + " (its own process): dialtone control-plane --config " + file);
      DialtoneProcess p = started(DialtoneProcess.start(id, "control-plane", List.of("control-plane", "--config",
          file.toString()), work, Map.of(), work.resolve("logs").resolve(id + ".log")));
      processes.put(id, new LabProcess(id, LabProcess.Kind.REPLICA, file, grpcPort, httpPort, zkProxies, agentProxy, p));
    }
  }

  private void startAgents(LabConfigFiles files) throws IOException {
    List<String> replicaAddresses = new ArrayList<>();
    for (LabProcess r : replicas()) {
      replicaAddresses.add("127.0.0.1:" + toxiproxyListenPort(r.agentProxy()));
    }
    for (LabRegion region : running()) {
      String name = "agent-" + region.id();
      int httpPort = FreePorts.tcpAndUdp();
      Path file = files.write(name + ".yaml", agentConfig(region, replicaAddresses, httpPort));
      step("region agent " + region.id() + " (its own process, " + settings.profile().name().toLowerCase() + " probes)");
      DialtoneProcess p = started(DialtoneProcess.start(name, "agent", List.of("agent", "--config", file.toString()),
          settings.workDir(), clocks.environment(name), settings.workDir().resolve("logs").resolve(name + ".log")));
      processes.put(name, new LabProcess(name, LabProcess.Kind.AGENT, file, 0, httpPort, List.of(), "", p));
    }
  }

  private int listen(String proxyName, String upstream) {
    return ToxiproxyServer.listenPort(toxiproxy.proxy(proxyName, upstream));
  }

  private int toxiproxyListenPort(String proxyName) throws IOException {
    Proxy p = toxiproxy.client().getProxy(proxyName);
    return ToxiproxyServer.listenPort(p);
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

  private Map<String, Object> replicaConfig(String id, int grpcPort, int httpPort, String zkConnect, Path drills,
      Path zookeeperPassword, Map<String, Object> carrier, Map<String, Object> notify) throws IOException {
    ProbeProfile p = settings.profile();
    List<Object> packetFilters = new ArrayList<>();
    for (LabRegion r : regions) {
      r.namespaceName().ifPresent(ns -> packetFilters.add(map("path", r.proxyName(LabRegion.CARRIER), "namespace", ns,
          "protocol", "UDP", "port", r.edge().port())));
    }
    return map(
        "deployment", LabSettings.DEPLOYMENT,
        "replicaId", id,
        "zookeeper", map("connect", zkConnect, "sessionTimeout", duration(SESSION_TIMEOUT), "connectionTimeout", "2s"),
        "grpc", map("port", grpcPort, "address", "127.0.0.1"),
        "http", map("port", httpPort),
        "tick", duration(p.interval().dividedBy(4)),
        "policy", map(
            "mode", "AUTO",
            "failAfter", 1,
            "recoverAfter", 2,
            "holdDown", duration(settings.holdDown()),
            "failback", map("mode", settings.automaticFailback() ? "AUTOMATIC" : "MANUAL", "healthyFor", "5s"),
            "staleAfter", duration(p.interval().multipliedBy(5).plusSeconds(1)),
            // A region a pipeline registers (the spare one) becomes a standby after this long healthy:
            // seconds in the lab, where a deployment would wait minutes (the default, 5m).
            "provisioningHealthyFor", "10s"),
        "regions", LabConfigFiles.regions(regions),
        "dns", map(
            "provider", map("rfc2136", map("server", "127.0.0.1:" + bind.port(), "zone", ZONE,
                "tsigKeyFile", bind.tsigKeyFile().toString(), "timeout", "2s")),
            // A records only: SRV targets need host names, and the lab's edges are bare loopback addresses.
            "records", List.of(map("name", "call." + ZONE, "type", "A", "ttl", "5s")),
            "fallback", List.of(map("id", "voicemail", "a", List.of("127.0.9.1"))),
            "ownerTtl", "5s"),
        "carrier", List.of(carrier),
        "fallback", map(
            "destinations", List.of(map("queue", fallbacks.queue().sipUri()), map("voicemail", fallbacks.voicemail().sipUri())),
            "perNumber", map(LabFallbacks.VIP_NUMBER, List.of(map("answeringService", fallbacks.answeringService().sipUri())))),
        "security", replicaSecurity(id, zookeeperPassword),
        "notifications", notify,
        // HTTPS with the replica's own certificate and access control; not served without TLS.
        "statusPage", statusPagePorts.containsKey(id) ? map("port", statusPagePorts.get(id), "address", "127.0.0.1",
            "refresh", "500ms") : null,
        "chaos", map(
            "toxiproxy", "http://127.0.0.1:" + toxiproxy.apiPort(),
            "drills", drills.toString(),
            "packetFilters", packetFilters.isEmpty() ? null : packetFilters,
            "pollInterval", "50ms",
            "orphanSweepInterval", "2s"));
  }

  private Map<String, Object> replicaSecurity(String id, Path zookeeperPassword) throws IOException {
    Map<String, Object> zk = map("user", "dialtone", "password", "file:" + zookeeperPassword);
    if (pki == null) {
      return map("plaintext", true, "zookeeper", zk);
    }
    PemFiles cert = pki.replica(id);
    // The status page's viewer signs in with a token (a browser has no client certificate), so the
    // handshake lets certificate-less callers through; access control still refuses them anything
    // but the page's sign-in, and gRPC callers need the operator's or an agent's certificate.
    return map(
        "tls", map("certificate", cert.certificateChain().toString(), "key", cert.privateKey().toString(),
            "trustBundle", pki.trustBundle().toString(), "requireClientCertificate", false),
        "access", map("certificates", Map.of(pki.operatorId(), "admin"),
            "tokens", List.of(map("name", "lab-viewer", "role", "viewer", "sha256", sha256(statusPageToken())))),
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

  private Map<String, Object> agentConfig(LabRegion r, List<String> replicaAddresses, int httpPort) throws IOException {
    ProbeProfile p = settings.profile();
    Path llmKey = writeSecret("llm-" + r.id(), secret("llm-" + r.id()));
    List<Object> probes = List.of(
        probe(LabRegion.LLM, map("llm", map("baseUrl", r.llmBaseUrl(), "apiKey", "file:" + llmKey))),
        probe(LabRegion.DB, map("postgres", map("jdbcUrl", r.jdbcUrl(), "user", "postgres"))),
        probe(LabRegion.CACHE, map("redis", map("uri", r.redisUri(), "probeKey", "dialtone:probe:" + r.id()))),
        probe(LabRegion.CARRIER, map("sip", map("uri", r.edge().sipUri()))));
    Map<String, Object> controlPlane = map("replicas", replicaAddresses, "keepAliveTime", "2s", "keepAliveTimeout", "1s");
    controlPlane.putAll(agentTransport(r));
    return map(
        "deployment", LabSettings.DEPLOYMENT,
        "region", r.id(),
        "agentId", r.id() + "-agent",
        "reportInterval", duration(p.interval()),
        "http", map("port", httpPort),
        "controlPlane", controlPlane,
        "probes", probes);
  }

  private Map<String, Object> probe(String name, Map<String, Object> kind) {
    ProbeProfile p = settings.profile();
    Map<String, Object> m = map("name", name, "interval", duration(p.interval()), "timeout", duration(p.timeout()),
        "degradedAbove", duration(p.degradedAbove()), "failAfter", 2, "recoverAfter", 2);
    m.putAll(kind);
    return m;
  }

  /**
   * What a provisioning pipeline needs to reach this deployment ({@code <work>/pipeline.json}): the
   * replicas' admin addresses, the operator's credentials directory, and the spare region's edge.
   */
  private void writePipelineFile(Path file) throws IOException {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("deployment", LabSettings.DEPLOYMENT);
    out.put("endpoints", replicas().stream().map(r -> "127.0.0.1:" + r.grpcPort()).toList());
    out.put("tlsDir", pki == null ? null : pki.operatorDir().toString());
    out.put("spareRegion", spare == null ? null : map("id", spare.id(), "priority", regions.size() + 1,
        "ipv4", List.of(spare.publicAddress()), "ipv6", List.of(), "sipUri", spare.edge().sipUri()));
    Files.writeString(file, LabState.JSON.writeValueAsString(out) + "\n");
  }

  /** The status page viewer's sign-in token, a file only its owner reads (created on first use). */
  private String statusPageToken() throws IOException {
    if (statusPageToken == null) {
      statusPageToken = writeSecret("status-page-viewer", secret("status-page-viewer"));
    }
    return secret("status-page-viewer");
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** The status page of {@code replica}, if the lab serves one (mutual TLS on). */
  public Optional<java.net.URI> statusPage(LabProcess replica) {
    return Optional.ofNullable(statusPagePorts.get(replica.name()))
        .map(port -> java.net.URI.create("https://127.0.0.1:" + port + "/"));
  }

  /** The file holding the status page's viewer token (sign in with its contents). */
  public Optional<Path> statusPageTokenFile() {
    return Optional.ofNullable(statusPageToken);
  }

  /** A random secret for this lab run, remembered so tests can prove it never reaches a log. */
  private String secret(String name) {
    return secrets.computeIfAbsent(name, n -> {
      byte[] b = new byte[24];
      new SecureRandom().nextBytes(b);
      return "sk-lab-" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    });
  }

  private Path writeSecret(String name, String value) throws IOException {
    secrets.putIfAbsent(name, value);
    Path dir = settings.workDir().resolve("secrets");
    Files.createDirectories(dir);
    Path file = dir.resolve(name + ".key");
    Files.writeString(file, value + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** Every secret this lab generated or was given (LLM keys, TSIG, ZooKeeper, Kamailio), for the no-secrets-in-logs check. */
  public List<String> secrets() {
    List<String> all = new ArrayList<>(secrets.values());
    all.add(bind.tsigSecret());
    return all;
  }

  // ---- the replicas, as an operator reaches them --------------------------------------------

  private ManagedChannel channel(LabProcess replica) {
    return channels.computeIfAbsent(replica.name(), n -> {
      ChannelCredentials credentials = pki == null ? InsecureChannelCredentials.create() : pki.operatorCredentials();
      return NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort(), credentials).build();
    });
  }

  /** The admin API of {@code replica}, called as the lab's operator (5 s deadline). */
  public dev.dialtone.proto.v1.AdminServiceGrpc.AdminServiceBlockingStub admin(LabProcess replica) {
    return dev.dialtone.proto.v1.AdminServiceGrpc.newBlockingStub(channel(replica)).withDeadlineAfter(5, TimeUnit.SECONDS);
  }

  /** The status as the first answering running replica sees it. */
  public Optional<GetStatusResponse> status() {
    for (LabProcess r : replicas()) {
      if (!r.process().isAlive() || (faults != null && faults.isStopped(r.name()))) {
        continue;
      }
      try {
        return Optional.of(admin(r).getStatus(GetStatusRequest.getDefaultInstance()));
      } catch (StatusRuntimeException e) {
        // stopped, cut off or still starting: ask the next one
      }
    }
    return Optional.empty();
  }

  /** The replica leading now, as the replicas say. */
  public Optional<LabProcess> leader() {
    return status().map(GetStatusResponse::getLeaderId).filter(id -> !id.isEmpty()).map(processes::get)
        .filter(r -> r.process().isAlive() && (faults == null || !faults.isStopped(r.name())));
  }

  /** The current placement as the leader stored it. */
  public Optional<Placement> placement() {
    return status().filter(GetStatusResponse::hasPlacement).map(GetStatusResponse::getPlacement);
  }

  private boolean planInFlight() {
    return status().map(s -> s.hasPlanInFlight() && (s.getPlanInFlight().getState()
        == dev.dialtone.proto.v1.PlanState.PLAN_STATE_RUNNING || s.getPlanInFlight().getState()
        == dev.dialtone.proto.v1.PlanState.PLAN_STATE_PENDING)).orElse(true);
  }

  private void awaitReplicasServing(Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    for (LabProcess r : replicas()) {
      Duration left = Duration.between(clock.instant(), deadline);
      Readiness.await(r.process().peer(), "replica " + r.name() + " answering GetStatus",
          left.isNegative() ? Duration.ZERO : left, () -> {
            admin(r).getStatus(GetStatusRequest.getDefaultInstance());
            return true;
          });
    }
  }

  private void awaitActive(String region, Duration timeout) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    while (clock.instant().isBefore(deadline)) {
      Optional<Placement> p = placement();
      if (p.isPresent() && region.equals(p.get().getActiveRegion()) && !planInFlight()) {
        return;
      }
      Thread.sleep(100); // a bounded poll of real asynchrony: agents, election and actuation
    }
    throw new IllegalStateException("the leader did not make " + region + " active within " + timeout
        + "; placement: " + placement().map(Object::toString).orElse("none") + "; see logs under " + settings.workDir());
  }

  /** Waits until the leader sees every region UP and ready: a drill's preflight needs a healthy standby. */
  public void awaitAllReady(Duration timeout) throws InterruptedException {
    Instant deadline = clock.instant().plus(timeout);
    List<String> notReady = List.of("?");
    while (clock.instant().isBefore(deadline)) {
      Optional<LabProcess> leader = leader();
      if (leader.isPresent()) {
        try {
          notReady = admin(leader.get()).getStatus(GetStatusRequest.getDefaultInstance()).getRegionsList().stream()
              .filter(r -> r.getHealth() != HealthStatus.HEALTH_STATUS_UP || !r.getReady())
              .map(r -> r.getId() + " (" + r.getHealth() + (r.getReady() ? "" : ", not ready") + ")").toList();
          if (notReady.isEmpty()) {
            return;
          }
        } catch (StatusRuntimeException e) {
          notReady = List.of("unknown: " + e.getMessage()); // the leader may be changing hands
        }
      }
      Thread.sleep(100); // a bounded poll of real asynchrony: agents' first reports
    }
    throw new IllegalStateException("regions not ready within " + timeout + ": " + notReady + "; see logs under " + settings.workDir());
  }

  /** Where the operator's {@code ca.crt}, {@code client.crt} and {@code client.key} are, for {@code dialtone --tls-dir}. */
  public Optional<Path> operatorTlsDir() {
    return Optional.ofNullable(pki).map(LabPki::operatorDir);
  }

  /** The replica processes, in start order. */
  public List<LabProcess> replicas() {
    return processes.values().stream().filter(p -> p.kind() == LabProcess.Kind.REPLICA).toList();
  }

  /** The agent processes, in region order. */
  public List<LabProcess> agents() {
    return processes.values().stream().filter(p -> p.kind() == LabProcess.Kind.AGENT).toList();
  }

  /** A process by name ({@code cp-2}, {@code agent-us-east}). */
  public LabProcess process(String name) {
    LabProcess p = processes.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no lab process " + name + "; known: " + processes.keySet());
    }
    return p;
  }

  /**
   * Starts {@code name} again from its own config file after it died (a kill -9), as the host's
   * supervisor (systemd's {@code Restart=on-failure}) would; its log continues in the same file.
   */
  public synchronized LabProcess restart(String name) throws IOException {
    LabProcess old = process(name);
    if (old.process().isAlive()) {
      throw new IllegalStateException(name + " is still running (pid " + old.process().pid().orElse(-1L) + ")");
    }
    String role = old.kind() == LabProcess.Kind.REPLICA ? "control-plane" : "agent";
    log.info("[lab] restarting {}: dialtone {} --config {}", name, role, old.config());
    // An agent keeps its clock lever (and whatever offset it holds) across restarts.
    Map<String, String> env = old.kind() == LabProcess.Kind.AGENT ? clocks.environment(name) : Map.of();
    DialtoneProcess p = started(DialtoneProcess.start(name, role, List.of(role, "--config", old.config().toString()),
        settings.workDir(), env, old.process().logFile()));
    // The JVM is a child of the process group leader and shows up a moment later; the fault levers
    // address it by pid, so the state must not record it as -1.
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    while (p.pid().isEmpty() && p.isAlive() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    LabProcess fresh = new LabProcess(name, old.kind(), old.config(), old.grpcPort(), old.httpPort(), old.zookeeperProxies(),
        old.agentProxy(), p);
    processes.put(name, fresh);
    LabState state = LabState.of(toxiproxy.apiPort(), processes.values(), zookeeper);
    state.write(settings.workDir().resolve("lab.json"));
    faults.update(state);
    return fresh;
  }

  /** Faults of real processes and links: kill -9, SIGSTOP/SIGCONT, cut off from ZooKeeper or from the agents. */
  public LabFaults faults() {
    return faults;
  }

  /** The agents' wall clocks, which a campaign moves ahead or behind (libfaketime). */
  public LabClocks clocks() {
    return clocks;
  }

  /** Drills run as an operator runs them, through the leader's AdminService; closed with the lab. */
  public LabDrills drills() {
    return drills;
  }

  /** How long the lab took to come up (first activation, every region ready, calls flowing). */
  public Duration upIn() {
    return upIn;
  }

  public List<LabRegion> regions() {
    return List.copyOf(regions);
  }

  public ToxiproxyServer toxiproxy() {
    return toxiproxy;
  }

  public ZooKeeperServers zookeeper() {
    return zookeeper;
  }

  public BindServer bind() {
    return bind;
  }

  public KamailioServer kamailio() {
    return kamailio;
  }

  public LabFallbacks fallbacks() {
    return fallbacks;
  }

  /** The lab's stand-in for the operator's incident webhook: every notification the replicas sent. */
  public LabNotifications notifications() {
    return notifications;
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
    channels.values().forEach(ManagedChannel::shutdownNow);
    if (faults != null) {
      faults.continueEveryone(); // a SIGSTOPped process cannot hear SIGTERM
    }
    while (!teardown.isEmpty()) {
      AutoCloseable c = teardown.pop();
      try {
        c.close();
      } catch (Exception e) {
        log.warn("[lab] could not stop {}: {}", c.getClass().getSimpleName(), e.toString());
      }
    }
    if (scratch != null) {
      try (var files = Files.walk(scratch)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        log.warn("[lab] could not remove {}: {}", scratch, e.toString());
      }
    }
  }
}
