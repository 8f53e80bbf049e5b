package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.peers.redis.RedisServer;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ToxiproxyServerIT {
  @RegisterExtension
  static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);

  @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);

  @Test
  void proxiesToItsUpstreamAndATimeoutToxicBlackholesIt() throws Exception {
    var proxy = toxiproxy.peer().proxy("redis", "127.0.0.1:" + redis.peer().port());
    int port = ToxiproxyServer.listenPort(proxy);
    assertThat(ping(port)).isEqualTo("+PONG");

    proxy.toxics().timeout("blackhole", ToxicDirection.DOWNSTREAM, 0);
    assertThatThrownBy(() -> ping(port)).isInstanceOf(SocketTimeoutException.class);

    proxy.toxics().get("blackhole").remove();
    assertThat(ping(port)).isEqualTo("+PONG");
  }

  private static String ping(int port) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(700);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readNBytes(5), StandardCharsets.US_ASCII);
    }
  }
}
