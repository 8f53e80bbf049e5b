package dev.dialtone.agent.probe.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.testing.PostgresStandby;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.postgres.PostgresServer;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The replication-lag check against a real streaming standby whose replay is paused. */
class PostgresStandbyLagIT {
  @Order(1) @RegisterExtension static final PeerExtension<PostgresServer> primary = PeerExtension.of(PostgresServer::new);
  @Order(2) @RegisterExtension static final PeerExtension<PostgresStandby> standby =
      PeerExtension.of(dir -> new PostgresStandby(dir, primary.peer()));
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  private static void onPrimary(String sql) throws Exception {
    try (var c = DriverManager.getConnection(primary.peer().jdbcUrl(), PostgresServer.USER, "");
        var s = c.createStatement()) {
      s.execute(sql);
    }
  }

  @Test
  void aStandbyBehindByMoreThanTheThresholdIsDegradedAndRecoversWhenReplayResumes() throws Exception {
    try (PostgresProbe probe = new PostgresProbe(standby.peer().jdbcUrl(), PostgresServer.USER, null, Duration.ofSeconds(1))) {
      onPrimary("CREATE TABLE beat (at timestamptz)");
      onPrimary("INSERT INTO beat VALUES (now())");
      // Wait until the standby has replayed the row, so it has a last replayed commit to measure from.
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
          .until(() -> standby.peer().queryLong("SELECT count(*) FROM beat") == 1 && !standby.peer().hasUnreplayedWal());
      ProbeResult caughtUp = probe.attempt(TIMEOUT);
      assertThat(caughtUp.status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
      assertThat(caughtUp.details()).containsEntry("in_recovery", "true").containsEntry("replication_lag_ms", "0");

      standby.peer().execute("SELECT pg_wal_replay_pause()");
      onPrimary("INSERT INTO beat VALUES (now())");
      await().atMost(Duration.ofSeconds(10)).until(() -> standby.peer().hasUnreplayedWal());
      await().atMost(Duration.ofSeconds(10)).until(() -> probe.attempt(TIMEOUT).status() == HealthStatus.HEALTH_STATUS_DEGRADED);
      ProbeResult lagging = probe.attempt(TIMEOUT);
      assertThat(lagging.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_REPLICATION_LAG);
      assertThat(Long.parseLong(lagging.details().get("replication_lag_ms"))).isGreaterThan(1000);

      standby.peer().execute("SELECT pg_wal_replay_resume()");
      await().atMost(Duration.ofSeconds(10)).until(() -> probe.attempt(TIMEOUT).status() == HealthStatus.HEALTH_STATUS_UP);
    }
  }
}
