package dev.dialtone.agent.probe.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.redis.RedisServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisProbeIT {
  @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);
  private static final Duration TIMEOUT = Duration.ofMillis(500);

  @Test
  void upWithPingAndSetGetThenDownWhenStoppedThenUpAgain() throws Exception {
    try (RedisProbe probe = new RedisProbe(java.net.URI.create(redis.peer().uri()), null, "dialtone:probe:test", Duration.ofSeconds(5))) {
      assertThat(probe.attempt(TIMEOUT).status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
      assertThat(probe.attempt(TIMEOUT).status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);

      redis.peer().stop();
      ProbeResult down = probe.attempt(TIMEOUT);
      assertThat(down.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(down.cause()).isIn(FailureCause.FAILURE_CAUSE_REFUSED, FailureCause.FAILURE_CAUSE_TIMEOUT);

      redis.peer().start();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
          .until(() -> probe.attempt(TIMEOUT).status() == HealthStatus.HEALTH_STATUS_UP);
    }
  }

  @Test
  void aProbeThatNeverConnectedIsRefused() {
    RedisServer peer = redis.peer();
    try (RedisProbe probe = new RedisProbe(java.net.URI.create("redis://127.0.0.1:" + (peer.port() == 1 ? 2 : 1)), null, null, Duration.ofSeconds(5))) {
      ProbeResult r = probe.attempt(TIMEOUT);
      assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(r.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_REFUSED);
    }
  }
}
