package dev.dialtone.peers.toxiproxy;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Toxiproxy server (installed with {@code go install
 * github.com/Shopify/toxiproxy/v2/cmd/server}) on a free loopback port, driven with toxiproxy-java.
 */
public final class ToxiproxyServer implements Peer {
  private final Path workDir;
  private final int apiPort;
  private PeerProcess process;

  public ToxiproxyServer(Path workDir) {
    this.workDir = workDir;
    this.apiPort = FreePorts.tcpAndUdp();
  }

  @Override
  public String name() {
    return "toxiproxy";
  }

  public int apiPort() {
    return apiPort;
  }

  /** A client for the server's HTTP API. */
  public ToxiproxyClient client() {
    return new ToxiproxyClient("127.0.0.1", apiPort);
  }

  /**
   * Creates a proxy listening on a free loopback port that forwards to {@code upstream}
   * ({@code host:port}).
   */
  public Proxy proxy(String name, String upstream) {
    try {
      return client().createProxy(name, "127.0.0.1:" + FreePorts.tcpAndUdp(), upstream);
    } catch (IOException e) {
      throw new UncheckedIOException("toxiproxy: could not create proxy " + name + " -> " + upstream, e);
    }
  }

  /** The port a proxy listens on. */
  public static int listenPort(Proxy proxy) {
    String listen = proxy.getListen();
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }

  @Override
  public void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path binary = toxiproxyBinary();
    process =
        PeerProcess.start(
            name(),
            List.of(binary.toString(), "-host", "127.0.0.1", "-port", Integer.toString(apiPort)),
            workDir,
            Map.of(),
            workDir.resolve("toxiproxy.log"));
    Readiness.await(
        process,
        "toxiproxy API on 127.0.0.1:" + apiPort,
        Duration.ofSeconds(20),
        () -> !client().version().isBlank());
  }

  /** Finds the Toxiproxy server: {@code toxiproxy-server} or Go's {@code server} binary. */
  public static Path toxiproxyBinary() {
    String provider = "Toxiproxy with go install github.com/Shopify/toxiproxy/v2/cmd/server";
    try {
      return Binaries.require("toxiproxy-server", provider, Binaries.goBin());
    } catch (Binaries.MissingPeerException e) {
      // go install names it after its package directory.
      return Binaries.require("server", provider, Binaries.goBin());
    }
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(5));
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of(workDir.resolve("toxiproxy.log"));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
