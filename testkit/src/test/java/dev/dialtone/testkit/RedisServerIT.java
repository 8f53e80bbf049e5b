package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.peers.redis.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerIT {
  @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);

  @Test
  void answersPingAndCanBeStoppedAndRestartedOnTheSamePort() throws Exception {
    RedisServer server = redis.peer();
    assertThat(server.pings()).isTrue();
    int port = server.port();

    server.stop();
    assertThatThrownBy(server::pings).isInstanceOf(java.io.IOException.class);

    server.start();
    assertThat(server.port()).isEqualTo(port);
    assertThat(server.pings()).isTrue();
  }
}
