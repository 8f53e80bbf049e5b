package dev.dialtone.peers.kamailio;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import dev.dialtone.peers.sipp.SipOptionsPing;
import dev.dialtone.peers.sipp.SippUas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real Kamailio SIP proxy on loopback running exactly the edge config Dialtone ships
 * ({@code deploy/kamailio/kamailio.cfg} and {@code dialtone-routing.cfg}, copied into this
 * module's resources by its build); the test kit writes only the local include
 * ({@code dialtone-local.cfg}: ports, listen addresses, db_url, RPC token). The {@code dispatcher}
 * module routes INVITEs to a destination set by priority (algorithm 8) and fails over to the next
 * destination on 503, 408 or a timeout, pinging every destination with OPTIONS; its destinations
 * and the {@code dialtone} htable (per-number sets, outbound blocking, parallel ringing) load from
 * a PostgreSQL database ({@code dialtone-schema.sql}), either a {@link PostgresServer} given to it
 * or one of its own. JSON-RPC ({@code jsonrpcs} over {@code xhttp}) is served at {@link #rpcUrl()}
 * to requests carrying {@code Authorization: Bearer} {@link #rpcToken()} only.
 */
public final class KamailioServer implements Peer {
  /** The module directory of Debian's kamailio package. */
  public static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");
  /** The database and its owner Kamailio reads (and a test's actuator writes) routing in. */
  public static final String DATABASE = "kamailio";
  public static final String DATABASE_USER = "kamailio";

  /** The shipped files, as copied into this module's resources from {@code deploy/kamailio/}. */
  static final String SHIPPED = "/dev/dialtone/peers/kamailio/deploy/";
  static final String MAIN_CONFIG = "kamailio.cfg";
  static final String ROUTING_CONFIG = "dialtone-routing.cfg";
  static final String SCHEMA = "dialtone-schema.sql";
  static final String LOCAL_CONFIG = "dialtone-local.cfg";

  private static final AtomicLong RPC_IDS = new AtomicLong();
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path workDir;
  private final PostgresServer postgres;
  private final boolean ownsPostgres;
  private final int setId;
  private final List<String> destinations;
  private final List<String> extraAddresses;
  private final int sipPort;
  private final int httpPort;
  private final String rpcToken = randomHex(32);
  private final String databasePassword = randomHex(16);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private boolean seeded;
  private PeerProcess process;

  /** A proxy for dispatcher set 1, starting with no destinations, with a database of its own. */
  public KamailioServer(Path workDir) {
    this(workDir, 1, List.of());
  }

  /**
   * A proxy for dispatcher set {@code setId} starting with {@code destinations} (SIP URIs), the
   * first one with the highest priority, with a database of its own.
   */
  public KamailioServer(Path workDir, int setId, List<String> destinations) {
    this(workDir, setId, destinations, List.of());
  }

  /**
   * As above, also listening for SIP over UDP on {@code extraAddresses}: the host ends of network
   * namespaces whose edges it routes to.
   */
  public KamailioServer(Path workDir, int setId, List<String> destinations, List<String> extraAddresses) {
    this(workDir, new PostgresServer(workDir.resolve("postgres")), true, setId, destinations, extraAddresses);
  }

  /**
   * A proxy whose routing lives in database {@value #DATABASE} of {@code postgres} (started by the
   * caller; created here if missing), starting with {@code destinations} in set {@code setId}.
   */
  public KamailioServer(Path workDir, PostgresServer postgres, int setId, List<String> destinations, List<String> extraAddresses) {
    this(workDir, postgres, false, setId, destinations, extraAddresses);
  }

  private KamailioServer(Path workDir, PostgresServer postgres, boolean ownsPostgres, int setId, List<String> destinations,
      List<String> extraAddresses) {
    this.workDir = workDir;
    this.postgres = postgres;
    this.ownsPostgres = ownsPostgres;
    this.setId = setId;
    this.destinations = List.copyOf(destinations);
    this.extraAddresses = List.copyOf(extraAddresses);
    this.sipPort = FreePorts.tcpAndUdp();
    this.httpPort = FreePorts.tcpAndUdp();
  }

  @Override
  public String name() {
    return "kamailio";
  }

  /** The SIP port (UDP and TCP) on 127.0.0.1. */
  public int sipPort() {
    return sipPort;
  }

  public int setId() {
    return setId;
  }

  /** E.g. {@code http://127.0.0.1:5071/RPC}. */
  public String rpcUrl() {
    return "http://127.0.0.1:" + httpPort + "/RPC";
  }

  /** The bearer token JSON-RPC requires (a fresh random one per server). */
  public String rpcToken() {
    return rpcToken;
  }

  /** The database Kamailio loads its dispatcher and htable from. */
  public String jdbcUrl() {
    return postgres.jdbcUrl(DATABASE);
  }

  public String databaseUser() {
    return DATABASE_USER;
  }

  public String databasePassword() {
    return databasePassword;
  }

  public PostgresServer postgres() {
    return postgres;
  }

  /** The main config Kamailio runs ({@code deploy/kamailio/kamailio.cfg}, copied into the work directory). */
  public Path configFile() {
    return workDir.resolve(MAIN_CONFIG);
  }

  @Override
  public synchronized void start() throws Exception {
    if (process != null && process.isAlive()) {
      return;
    }
    Path binary = Binaries.require("kamailio", "the Debian package kamailio", Path.of("/usr/sbin"));
    if (!Files.isRegularFile(MODULES.resolve("db_postgres.so"))) {
      throw new Binaries.MissingPeerException("Kamailio modules (with db_postgres) not found in " + MODULES
          + ": install the Debian packages kamailio, kamailio-extra-modules and kamailio-postgres-modules");
    }
    Files.createDirectories(workDir);
    if (ownsPostgres) {
      traversableByAll(workDir);
      postgres.start();
    }
    prepareDatabase();
    for (String file : List.of(MAIN_CONFIG, ROUTING_CONFIG)) {
      Files.writeString(workDir.resolve(file), shipped(file), StandardCharsets.UTF_8);
    }
    Files.writeString(workDir.resolve(LOCAL_CONFIG), localConfig(), StandardCharsets.UTF_8);
    process =
        PeerProcess.start(
            name(),
            List.of(binary.toString(), "-f", workDir.resolve(MAIN_CONFIG).toString(), "-DD", "-E", "-L", MODULES.toString(),
                "-Y", workDir.toString(), "-P", workDir.resolve("kamailio.pid").toString()),
            workDir,
            Map.of(),
            logFile());
    Readiness.await(process, "kamailio core.version at " + rpcUrl() + " and OPTIONS on udp 127.0.0.1:" + sipPort,
        Duration.ofSeconds(20),
        () -> rpc("core.version").contains("kamailio")
            && SipOptionsPing.status(sipPort, SippUas.Transport.UDP, Duration.ofMillis(300)) == 200);
  }

  // The shipped schema (idempotent), and on the first start only the initial destinations: after
  // that the database holds whatever routing was written, which a restart must serve.
  private void prepareDatabase() throws SQLException {
    postgres.createDatabase(DATABASE, DATABASE_USER, databasePassword);
    postgres.execute(DATABASE, DATABASE_USER, shipped(SCHEMA));
    if (seeded) {
      return;
    }
    StringBuilder sql = new StringBuilder("DELETE FROM dispatcher WHERE setid = " + setId + ";\n");
    for (int i = 0; i < destinations.size(); i++) {
      sql.append("INSERT INTO dispatcher (setid, destination, priority, attrs, description) VALUES (")
          .append(setId).append(", '").append(destinations.get(i).replace("'", "''")).append("', ")
          .append(destinations.size() - i).append(", 'duid=d").append(i + 1).append("', 'test kit');\n");
    }
    postgres.execute(DATABASE, DATABASE_USER, sql.toString());
    seeded = true;
  }

  /** The local include: what an operator writes for their edge (dialtone-local.cfg.example). */
  private String localConfig() {
    StringBuilder local = new StringBuilder("# dialtone-local.cfg written by the Dialtone test kit\n")
        .append("debug=2\n")
        .append("log_stderror=yes\n")
        .append("listen=udp:127.0.0.1:").append(sipPort).append('\n')
        .append("listen=tcp:127.0.0.1:").append(sipPort).append('\n')
        .append("listen=tcp:127.0.0.1:").append(httpPort).append('\n');
    // With extra addresses (the host ends of network namespaces' veth pairs) Kamailio also listens
    // there, and mhomed makes it send from the address on the route to each destination: a
    // loopback source cannot leave through a veth.
    for (String a : extraAddresses) {
      local.append("listen=udp:").append(a).append(':').append(sipPort).append('\n');
    }
    if (!extraAddresses.isEmpty()) {
      local.append("mhomed=1\n");
    }
    return local
        .append("#!define KAMAILIO_CHILDREN 2\n")
        .append("# An unanswered branch fails over after 1 s.\n")
        .append("#!define DIALTONE_BRANCH_TIMEOUT 1000\n")
        .append("#!define DIALTONE_SET_ID ").append(setId).append('\n')
        .append("#!define DIALTONE_RPC_PORT ").append(httpPort).append('\n')
        .append("#!substdef \"!DIALTONE_DB_URL!postgres://").append(DATABASE_USER).append(':').append(databasePassword)
        .append("@127.0.0.1:").append(postgres.port()).append('/').append(DATABASE).append("!g\"\n")
        .append("#!substdef \"!DIALTONE_RPC_TOKEN!").append(rpcToken).append("!g\"\n")
        .toString();
  }

  /** A file Dialtone ships in {@code deploy/kamailio/}, from this module's resources. */
  static String shipped(String file) {
    try (InputStream in = KamailioServer.class.getResourceAsStream(SHIPPED + file)) {
      if (in == null) {
        throw new IllegalStateException("deploy/kamailio/" + file + " is not on the class path at " + SHIPPED
            + " (the testkit build copies deploy/kamailio/ into its resources)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // As root, PostgreSQL runs as 'nobody' and must reach its directory below ours: every ancestor
  // we own that others cannot traverse (e.g. a 0700 temporary directory) gets o+x, nothing more.
  private static void traversableByAll(Path dir) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return;
    }
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (!Files.getOwner(p).getName().equals("root")) {
        continue;
      }
      Set<PosixFilePermission> perms = new HashSet<>(Files.getPosixFilePermissions(p));
      if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(p, perms);
      }
    }
  }

  /**
   * Calls a JSON-RPC method over HTTP with the token and returns the response body.
   *
   * @param params strings and numbers, sent positionally
   */
  public String rpc(String method, Object... params) throws IOException, InterruptedException {
    return rpcAs("Bearer " + rpcToken, method, params).body();
  }

  /**
   * Calls a JSON-RPC method with {@code authorization} as the {@code Authorization} header (none if
   * {@code null}), for tests of the token check.
   */
  public HttpResponse<String> rpcAs(String authorization, String method, Object... params) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder("{\"jsonrpc\":\"2.0\",\"method\":").append(quote(method));
    if (params.length > 0) {
      List<String> encoded = new ArrayList<>();
      for (Object p : params) {
        encoded.add(p instanceof Number ? p.toString() : quote(String.valueOf(p)));
      }
      body.append(",\"params\":[").append(String.join(",", encoded)).append(']');
    }
    body.append(",\"id\":").append(RPC_IDS.incrementAndGet()).append('}');
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(rpcUrl()))
        .timeout(Duration.ofSeconds(2))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Stops Kamailio (its database keeps running); {@link #start()} brings it back on the same ports. */
  @Override
  public synchronized void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(5));
    }
  }

  private Path logFile() {
    return workDir.resolve("kamailio.log");
  }

  @Override
  public List<Path> logFiles() {
    List<Path> files = new ArrayList<>(List.of(logFile(), workDir.resolve(MAIN_CONFIG), workDir.resolve(LOCAL_CONFIG)));
    if (ownsPostgres) {
      files.addAll(postgres.logFiles());
    }
    return files;
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.close();
    }
    if (ownsPostgres) {
      postgres.close();
    }
    http.close();
  }
}
