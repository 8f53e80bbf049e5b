package dev.dialtone.testkit.kamailio;

import dev.dialtone.testkit.Peer;
import dev.dialtone.testkit.Readiness;
import dev.dialtone.testkit.process.Binaries;
import dev.dialtone.testkit.process.FreePorts;
import dev.dialtone.testkit.process.PeerProcess;
import dev.dialtone.testkit.sipp.SipOptionsPing;
import dev.dialtone.testkit.sipp.SippUas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real Kamailio SIP proxy on loopback: the {@code dispatcher} module routes INVITEs to a
 * destination set by priority (algorithm 8) and fails over to the next destination on 503, 408 or
 * a timeout, while pinging every destination with OPTIONS; JSON-RPC ({@code jsonrpcs}) is served
 * over HTTP by {@code xhttp} at {@link #rpcUrl()}. The {@code dialtone} htable lets the routing
 * manager give a number (DID) its own set ({@code did:<number>} → set id) and block outbound
 * calls, those addressed beyond the proxy ({@code outbound_blocked} = 1 → 403).
 */
public final class KamailioServer implements Peer {
  /** The module directory of Debian's kamailio package. */
  public static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/kamailio/modules");

  private static final AtomicLong RPC_IDS = new AtomicLong();

  private final Path workDir;
  private final int setId;
  private final List<String> destinations;
  private final List<String> extraAddresses;
  private final int sipPort;
  private final int httpPort;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private PeerProcess process;

  /** A proxy for dispatcher set 1, starting with an empty destination list. */
  public KamailioServer(Path workDir) {
    this(workDir, 1, List.of());
  }

  /**
   * A proxy for dispatcher set {@code setId} starting with {@code destinations} (SIP URIs), the
   * first one with the highest priority.
   */
  public KamailioServer(Path workDir, int setId, List<String> destinations) {
    this(workDir, setId, destinations, List.of());
  }

  /**
   * As above, also listening for SIP over UDP on {@code extraAddresses}: the host ends of network
   * namespaces whose edges it routes to.
   */
  public KamailioServer(Path workDir, int setId, List<String> destinations, List<String> extraAddresses) {
    this.extraAddresses = List.copyOf(extraAddresses);
    this.workDir = workDir;
    this.setId = setId;
    this.destinations = List.copyOf(destinations);
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

  /** The dispatcher list file Kamailio loads at start and on {@code dispatcher.reload}. */
  public Path listFile() {
    return workDir.resolve("dispatcher.list");
  }

  @Override
  public synchronized void start() throws IOException {
    if (process != null && process.isAlive()) {
      return;
    }
    Path binary = Binaries.require("kamailio", "the Debian package kamailio", Path.of("/usr/sbin"));
    if (!Files.isDirectory(MODULES)) {
      throw new Binaries.MissingPeerException(
          "Kamailio modules not found in " + MODULES + ": install the Debian packages kamailio and kamailio-extra-modules");
    }
    Files.createDirectories(workDir);
    if (!Files.exists(listFile())) {
      Files.writeString(listFile(), initialList(), StandardCharsets.UTF_8);
    }
    Path config = workDir.resolve("kamailio.cfg");
    Files.writeString(config, KamailioConfigFile.render(sipPort, httpPort, setId, listFile(), extraAddresses), StandardCharsets.UTF_8);
    process =
        PeerProcess.start(
            name(),
            List.of(binary.toString(), "-f", config.toString(), "-DD", "-E", "-L", MODULES.toString(),
                "-Y", workDir.toString(), "-P", workDir.resolve("kamailio.pid").toString()),
            workDir,
            Map.of(),
            logFile());
    Readiness.await(process, "kamailio core.version at " + rpcUrl() + " and OPTIONS on udp 127.0.0.1:" + sipPort,
        Duration.ofSeconds(20),
        () -> rpc("core.version").contains("kamailio")
            && SipOptionsPing.status(sipPort, SippUas.Transport.UDP, Duration.ofMillis(300)) == 200);
  }

  private String initialList() {
    StringBuilder list = new StringBuilder("# dispatcher list written by the test kit\n");
    for (int i = 0; i < destinations.size(); i++) {
      list.append(setId).append(' ').append(destinations.get(i)).append(" 0 ")
          .append(destinations.size() - i).append(" duid=d").append(i + 1).append('\n');
    }
    return list.toString();
  }

  /**
   * Calls a JSON-RPC method over HTTP and returns the response body.
   *
   * @param params strings and numbers, sent positionally
   */
  public String rpc(String method, Object... params) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder("{\"jsonrpc\":\"2.0\",\"method\":").append(quote(method));
    if (params.length > 0) {
      List<String> encoded = new ArrayList<>();
      for (Object p : params) {
        encoded.add(p instanceof Number ? p.toString() : quote(String.valueOf(p)));
      }
      body.append(",\"params\":[").append(String.join(",", encoded)).append(']');
    }
    body.append(",\"id\":").append(RPC_IDS.incrementAndGet()).append('}');
    HttpRequest request = HttpRequest.newBuilder(URI.create(rpcUrl()))
        .timeout(Duration.ofSeconds(2))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

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
    return List.of(logFile(), listFile(), workDir.resolve("kamailio.cfg"));
  }

  @Override
  public synchronized void close() {
    if (process != null) {
      process.close();
    }
    http.close();
  }
}
