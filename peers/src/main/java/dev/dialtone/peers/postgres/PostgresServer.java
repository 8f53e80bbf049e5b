package dev.dialtone.peers.postgres;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster made with {@code initdb} in a temporary directory and run with
 * {@code postgres} on a free loopback port; never the system service. {@code initdb} refuses to
 * run as root, so as root the cluster belongs to, and runs as, the unprivileged user {@code nobody}.
 */
public final class PostgresServer implements Peer {
  /** The superuser the cluster is created with (trust authentication on loopback). */
  public static final String USER = "postgres";

  private static final String RUN_AS = "nobody";

  private final Path workDir;
  private final Path dataDir;
  private final Path template;
  private final int port;
  private PeerProcess process;

  public PostgresServer(Path workDir) {
    this(workDir, null);
  }

  /**
   * A server whose cluster, when it has none yet, is a copy of the one made by {@link
   * #createTemplate} in {@code templateWorkDir} instead of its own {@code initdb}: one initdb for
   * many servers, the expensive part of starting several at once on a small machine.
   */
  public PostgresServer(Path workDir, Path templateWorkDir) {
    this.workDir = workDir;
    this.dataDir = workDir.resolve("data");
    this.template = templateWorkDir == null ? null : templateWorkDir.resolve("data");
    this.port = FreePorts.tcpAndUdp();
  }

  /**
   * Runs {@code initdb} once in {@code workDir}, a cluster never started, for servers made with
   * {@link #PostgresServer(Path, Path)} to copy.
   */
  public static void createTemplate(Path workDir) throws IOException, InterruptedException {
    Path data = workDir.resolve("data");
    if (!Files.exists(data.resolve("PG_VERSION"))) {
      initdb(binDir(), workDir, data);
    }
  }

  @Override
  public String name() {
    return "postgres";
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for the {@code postgres} database on this server. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  @Override
  public void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path bin = binDir();
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      if (template != null) {
        copyTemplate();
      } else {
        initdb(bin, workDir, dataDir);
      }
    }
    List<String> command = new ArrayList<>(asUnprivileged());
    command.addAll(
        List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(), "-p", Integer.toString(port),
            "-k", dataDir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
            "-c", "synchronous_commit=off", "-c", "full_page_writes=off"));
    process = PeerProcess.start(name(), command, workDir, Map.of(), workDir.resolve("postgres.log"));
    Readiness.await(process, "PostgreSQL SELECT 1 on 127.0.0.1:" + port, Duration.ofSeconds(30), this::selectOne);
  }

  /** A JDBC URL for {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /**
   * Creates login role {@code user} with {@code password} and database {@code database} owned by
   * it, unless they exist (trust authentication on loopback still applies: the password is for
   * clients that send one).
   */
  public void createDatabase(String database, String user, String password) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=2&socketTimeout=10", USER, "");
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + user.replace("'", "''") + "'")) {
        if (!rs.next()) {
          s.execute("CREATE ROLE " + identifier(user) + " LOGIN PASSWORD '" + password.replace("'", "''") + "'");
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database.replace("'", "''") + "'")) {
        if (!rs.next()) {
          s.execute("CREATE DATABASE " + identifier(database) + " OWNER " + identifier(user));
        }
      }
    }
  }

  /** Runs {@code sql} (one or more statements) in {@code database} as {@code user}. */
  public void execute(String database, String user, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(jdbcUrl(database) + "?connectTimeout=2&socketTimeout=10", user, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** Runs {@code SELECT 1}. */
  public boolean selectOne() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=1&socketTimeout=2", USER, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      return rs.next() && rs.getInt(1) == 1;
    }
  }

  /** Copies the template cluster with its owner and modes ({@code cp -a}), as PostgreSQL requires them. */
  private void copyTemplate() throws IOException, InterruptedException {
    if (!Files.exists(template.resolve("PG_VERSION"))) {
      throw new IllegalStateException("PostgreSQL template cluster " + template + " has no PG_VERSION: create it first");
    }
    Files.createDirectories(workDir);
    if (isRoot()) {
      chown(workDir);
    }
    Path log = workDir.resolve("copy.log");
    Process p = new ProcessBuilder("cp", "-a", template.toString(), dataDir.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("copying PostgreSQL template " + template + " to " + dataDir + " failed: " + Files.readString(log).strip());
    }
  }

  private static void initdb(Path bin, Path workDir, Path dataDir) throws IOException, InterruptedException {
    Files.createDirectories(workDir);
    if (isRoot()) {
      chown(workDir);
    }
    List<String> command = new ArrayList<>(asUnprivileged());
    command.addAll(
        List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", USER,
            "--auth=trust", "-E", "UTF8", "--no-sync"));
    Path log = workDir.resolve("initdb.log");
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("initdb failed; log " + log + ":\n" + Files.readString(log));
    }
  }

  private static List<String> asUnprivileged() {
    if (!isRoot()) {
      return List.of();
    }
    Binaries.require("setpriv", "the Debian package util-linux");
    return List.of("setpriv", "--reuid=" + RUN_AS, "--regid=nogroup", "--clear-groups", "--");
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chown(Path dir) throws IOException {
    UserPrincipalLookupService lookup = dir.getFileSystem().getUserPrincipalLookupService();
    Files.setOwner(dir, lookup.lookupPrincipalByName(RUN_AS));
  }

  /** The PostgreSQL server binaries: {@code initdb} on PATH, else the newest /usr/lib/postgresql/N/bin. */
  static Path binDir() throws IOException {
    try {
      return Binaries.require("initdb", "the Debian package postgresql").toRealPath().getParent();
    } catch (Binaries.MissingPeerException e) {
      Path root = Path.of("/usr/lib/postgresql");
      if (Files.isDirectory(root)) {
        try (Stream<Path> versions = Files.list(root)) {
          var newest =
              versions
                  .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                  .max((a, b) -> Integer.compare(major(a), major(b)));
          if (newest.isPresent()) {
            return newest.get().resolve("bin");
          }
        }
      }
      throw e;
    }
  }

  private static int major(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * Stops the server with a fast shutdown (SIGINT: clients are disconnected, the cluster is shut
   * down cleanly), so a client holding a connection cannot delay it and {@link #start()} finds no
   * stale lock file; TERM and KILL after 10 s as a backstop.
   */
  @Override
  public void stop() {
    if (process != null) {
      if (process.isAlive()) {
        process.signal("INT");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (process.isAlive() && System.nanoTime() < deadline) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
      process.stop(Duration.ofSeconds(10));
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of(workDir.resolve("initdb.log"), workDir.resolve("postgres.log"));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
