package dev.dialtone.peers.zookeeper;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.JavaCommand;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ZooKeeper ensemble of real server processes ({@code QuorumPeerMain}, ZooKeeper's own server,
 * from the ZooKeeper jar on this JVM's class path) on loopback, each with its own data directory
 * and log. Servers can be killed, stopped and continued one by one, like any host's.
 */
public final class ZooKeeperServers implements Peer {
  /** ZooKeeper's server entry point. */
  public static final String MAIN = "org.apache.zookeeper.server.quorum.QuorumPeerMain";

  /** One server: its id (myid), client port and process. */
  public static final class Server {
    private final int id;
    private final int clientPort;
    private final int quorumPort;
    private final int electionPort;
    private final Path dir;
    private PeerProcess process;

    Server(int id, Path dir) {
      this.id = id;
      this.dir = dir;
      this.clientPort = FreePorts.tcpAndUdp();
      this.quorumPort = FreePorts.tcpAndUdp();
      this.electionPort = FreePorts.tcpAndUdp();
    }

    public int id() {
      return id;
    }

    public int clientPort() {
      return clientPort;
    }

    /** The server's JVM, while it runs. */
    public Optional<PeerProcess> process() {
      return Optional.ofNullable(process).filter(PeerProcess::isAlive);
    }

    public Path logFile() {
      return dir.resolve("zookeeper.log");
    }
  }

  private final Path workDir;
  private final Duration tickTime;
  private final List<String> jvmOptions;
  private final List<Server> servers = new ArrayList<>();

  /**
   * @param size 3 or 5 servers
   * @param tickTime ZooKeeper's tick: sessions expire on tick boundaries, negotiated timeouts lie in 2..20 ticks
   */
  public ZooKeeperServers(Path workDir, int size, Duration tickTime, List<String> jvmOptions) {
    this.workDir = workDir;
    this.tickTime = tickTime;
    this.jvmOptions = List.copyOf(jvmOptions);
    for (int i = 1; i <= size; i++) {
      servers.add(new Server(i, workDir.resolve("zk" + i)));
    }
  }

  @Override
  public String name() {
    return "zookeeper";
  }

  /** {@code 127.0.0.1:p1,127.0.0.1:p2,...}. */
  public String connectString() {
    return String.join(",", servers.stream().map(s -> "127.0.0.1:" + s.clientPort).toList());
  }

  public List<Server> servers() {
    return List.copyOf(servers);
  }

  @Override
  public synchronized void start() throws IOException {
    for (Server s : servers) {
      start(s);
    }
    for (Server s : servers) {
      awaitServing(s, Duration.ofSeconds(30));
    }
  }

  /** Starts (or restarts) one server with its existing data. */
  public synchronized void start(Server s) throws IOException {
    if (s.process != null && s.process.isAlive()) {
      return;
    }
    Files.createDirectories(s.dir.resolve("data"));
    Files.writeString(s.dir.resolve("data").resolve("myid"), s.id + "\n");
    StringBuilder cfg = new StringBuilder()
        .append("tickTime=").append(tickTime.toMillis()).append('\n')
        .append("initLimit=20\nsyncLimit=10\n")
        .append("dataDir=").append(s.dir.resolve("data")).append('\n')
        .append("clientPort=").append(s.clientPort).append('\n')
        .append("clientPortAddress=127.0.0.1\n")
        .append("admin.enableServer=false\n")
        .append("4lw.commands.whitelist=ruok,srvr,mntr\n")
        .append("autopurge.snapRetainCount=3\nautopurge.purgeInterval=1\n");
    for (Server o : servers) {
      cfg.append("server.").append(o.id).append("=127.0.0.1:").append(o.quorumPort).append(':').append(o.electionPort)
          .append('\n');
    }
    Path config = s.dir.resolve("zoo.cfg");
    Files.writeString(config, cfg.toString(), StandardCharsets.UTF_8);
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("-Dzookeeper.jmx.log4j.disable=true");
    options.add("-Dzookeeper.admin.enableServer=false");
    options.addAll(JavaCommand.classDataArchive("zk" + s.id, options));
    s.process = PeerProcess.start("zk" + s.id, JavaCommand.of(options, MAIN, List.of(config.toString())), s.dir, Map.of(),
        s.logFile());
  }

  /** Waits until {@code s} answers {@code srvr} as leader or follower of a quorum. */
  public void awaitServing(Server s, Duration timeout) {
    Readiness.await(s.process, "ZooKeeper server " + s.id + " serving on 127.0.0.1:" + s.clientPort, timeout, () -> {
      String srvr = fourLetter(s.clientPort, "srvr");
      return srvr.contains("Mode: leader") || srvr.contains("Mode: follower") || srvr.contains("Mode: standalone");
    });
  }

  /** A four-letter command's answer ({@code ruok}, {@code srvr}, {@code mntr}), or "" if none. */
  public static String fourLetter(int port, String command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write(command.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Kills one server at once (SIGKILL of its JVM), as a crashed host. */
  public synchronized void kill(Server s) {
    s.process().flatMap(PeerProcess::mainProcess).ifPresent(ProcessHandle::destroyForcibly);
    if (s.process != null) {
      s.process.stop(Duration.ofSeconds(2));
    }
  }

  @Override
  public synchronized void stop() {
    for (Server s : servers) {
      if (s.process != null) {
        s.process.stop(Duration.ofSeconds(5));
      }
    }
  }

  @Override
  public List<Path> logFiles() {
    return servers.stream().map(Server::logFile).toList();
  }

  @Override
  public synchronized void close() {
    for (Server s : servers) {
      if (s.process != null) {
        s.process.close();
      }
    }
  }
}
