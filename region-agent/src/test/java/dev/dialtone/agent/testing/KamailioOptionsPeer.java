package dev.dialtone.agent.testing;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.process.Binaries;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Kamailio on a free loopback port (UDP and TCP) that answers OPTIONS statelessly:
 * 200 for any user but {@code busy}, which gets 503. Proves the SIP probe against a production
 * SIP server rather than only against SIPp.
 */
public final class KamailioOptionsPeer implements Peer {
  private final Path workDir;
  private final int port;
  private PeerProcess process;

  public KamailioOptionsPeer(Path workDir) {
    this.workDir = workDir;
    this.port = FreePorts.tcpAndUdp();
  }

  @Override
  public String name() {
    return "kamailio";
  }

  public int port() {
    return port;
  }

  @Override
  public void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    Path binary = Binaries.require("kamailio", "the Debian package kamailio", Path.of("/usr/sbin"));
    Path config = workDir.resolve("kamailio.cfg");
    try {
      Files.writeString(config, """
          #!KAMAILIO
          debug=2
          log_stderror=yes
          children=1
          tcp_children=1
          listen=udp:127.0.0.1:%d
          listen=tcp:127.0.0.1:%d
          mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
          loadmodule "sl.so"
          loadmodule "pv.so"
          loadmodule "textops.so"
          request_route {
            if (is_method("OPTIONS")) {
              if ($rU == "busy") { sl_send_reply("503", "Service Unavailable"); exit; }
              sl_send_reply("200", "OK");
              exit;
            }
            sl_send_reply("501", "Not Implemented");
          }
          """.formatted(port, port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    process = PeerProcess.start(name(),
        List.of(binary.toString(), "-f", config.toString(), "-DD", "-E", "-P", workDir.resolve("kamailio.pid").toString(),
            "-Y", workDir.toString()),
        workDir, Map.of(), workDir.resolve("kamailio.log"));
    Readiness.await(process, "kamailio TCP on 127.0.0.1:" + port, Duration.ofSeconds(20), () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 300);
        return true;
      }
    });
  }

  @Override
  public void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(5));
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of(workDir.resolve("kamailio.log"));
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
