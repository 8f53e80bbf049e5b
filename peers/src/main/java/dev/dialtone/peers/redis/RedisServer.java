package dev.dialtone.peers.redis;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real {@code redis-server} on a free loopback port, without persistence. */
public final class RedisServer implements Peer {
  private final Path workDir;
  private final int port;
  private PeerProcess process;

  public RedisServer(Path workDir) {
    this.workDir = workDir;
    this.port = FreePorts.tcpAndUdp();
  }

  @Override
  public String name() {
    return "redis";
  }

  public int port() {
    return port;
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path binary = Binaries.require("redis-server", "the Debian package redis-server");
    process =
        PeerProcess.start(
            name(),
            List.of(binary.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", workDir.toString()),
            workDir,
            Map.of(),
            workDir.resolve("redis.log"));
    Readiness.await(process, "redis PING on 127.0.0.1:" + port, Duration.ofSeconds(20), this::pings);
  }

  /** Sends a RESP {@code PING} and expects {@code +PONG}. */
  public boolean pings() throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
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
    return List.of(workDir.resolve("redis.log"));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
