package dev.dialtone.peers.moto;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * moto's server ({@code pip install "moto[server]"}) on a free loopback port: a local stand-in for
 * the AWS APIs (Route 53), reached through an endpoint override. Labelled as such wherever used.
 */
public final class MotoServer implements Peer {
  private final Path workDir;
  private final int port;
  private PeerProcess process;

  public MotoServer(Path workDir) {
    this.workDir = workDir;
    this.port = FreePorts.tcpAndUdp();
  }

  @Override
  public String name() {
    return "moto";
  }

  /** The endpoint to pass to an AWS SDK client's {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  @Override
  public void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path binary = Binaries.require("moto_server", "the Python package moto[server] (pip)");
    process =
        PeerProcess.start(
            name(),
            List.of(binary.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)),
            workDir,
            Map.of("AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing"),
            workDir.resolve("moto.log"));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    Readiness.await(
        process,
        "moto API on " + endpoint(),
        Duration.ofSeconds(60),
        () ->
            http.send(
                        HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .statusCode()
                == 200);
  }

  /** Forgets every resource moto holds, so tests do not see each other's zones. */
  public void reset() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    http.send(
        HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(5));
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of(workDir.resolve("moto.log"));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
