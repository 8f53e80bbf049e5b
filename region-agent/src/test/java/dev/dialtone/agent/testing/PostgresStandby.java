package dev.dialtone.agent.testing;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL streaming-replication standby of a test-kit {@link PostgresServer}, made with
 * {@code pg_basebackup -R}, so the probe's replication-lag check runs against a real standby.
 * Runs as {@code nobody} when the tests run as root, like the primary.
 */
public final class PostgresStandby implements Peer {
  private final Path workDir;
  private final Path dataDir;
  private final PostgresServer primary;
  private final int port;
  private PeerProcess process;

  public PostgresStandby(Path workDir, PostgresServer primary) {
    this.workDir = workDir;
    this.dataDir = workDir.resolve("standby");
    this.primary = primary;
    this.port = FreePorts.tcpAndUdp();
  }

  @Override
  public String name() {
    return "postgres-standby";
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  @Override
  public void start() throws Exception {
    Path bin = Path.of("/usr/lib/postgresql").toRealPath();
    bin = Files.list(bin).filter(v -> Files.isExecutable(v.resolve("bin/pg_basebackup"))).max(Path::compareTo).orElseThrow().resolve("bin");
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      if (isRoot()) {
        Files.setOwner(workDir, workDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
      }
      List<String> backup = new ArrayList<>(unprivileged());
      backup.addAll(List.of(bin.resolve("pg_basebackup").toString(), "-h", "127.0.0.1", "-p", Integer.toString(primary.port()),
          "-U", PostgresServer.USER, "-D", dataDir.toString(), "-R", "-X", "stream", "--no-sync"));
      Path log = workDir.resolve("basebackup.log");
      Process p = new ProcessBuilder(backup).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("pg_basebackup failed:\n" + Files.readString(log));
      }
    }
    List<String> command = new ArrayList<>(unprivileged());
    command.addAll(List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(), "-p", Integer.toString(port),
        "-k", dataDir.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "hot_standby=on"));
    process = PeerProcess.start(name(), command, workDir, Map.of(), workDir.resolve("standby.log"));
    Readiness.await(process, "standby SELECT 1 on 127.0.0.1:" + port, Duration.ofSeconds(30), () -> {
      try (Connection c = DriverManager.getConnection(jdbcUrl() + "?connectTimeout=1", PostgresServer.USER, "");
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
        return rs.next() && rs.getBoolean(1);
      }
    });
  }

  /** Runs one SQL statement on this standby. */
  public void execute(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), PostgresServer.USER, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Runs a query returning one number on this standby. */
  public long queryLong(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), PostgresServer.USER, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether the standby has received WAL it has not replayed yet. */
  public boolean hasUnreplayedWal() throws Exception {
    try (Connection c = DriverManager.getConnection(jdbcUrl(), PostgresServer.USER, "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_last_wal_receive_lsn() <> pg_last_wal_replay_lsn()")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static List<String> unprivileged() {
    return isRoot() ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--") : List.of();
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(10));
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of(workDir.resolve("basebackup.log"), workDir.resolve("standby.log"));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

}
