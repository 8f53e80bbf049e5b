package dev.dialtone.agent.probe.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.postgres.PostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresProbeIT {
  @RegisterExtension static final PeerExtension<PostgresServer> pg = PeerExtension.of(PostgresServer::new);
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  @Test
  void upOnAPrimaryWithTheLagCheckThenDownWhenStoppedThenReconnects() throws Exception {
    try (PostgresProbe probe = new PostgresProbe(pg.peer().jdbcUrl(), PostgresServer.USER, null, Duration.ofSeconds(5))) {
      ProbeResult up = probe.attempt(TIMEOUT);
      assertThat(up.status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
      assertThat(up.details()).containsEntry("in_recovery", "false").containsEntry("replication_lag_ms", "0");

      // The server drops the probe's kept connection (the test kit's stop is a smart shutdown,
      // which would wait for it): the next attempt fails and the one after reconnects.
      terminateProbeConnections();
      ProbeResult dropped = probe.attempt(TIMEOUT);
      assertThat(dropped.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(probe.attempt(TIMEOUT).status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);

      terminateProbeConnections();
      pg.peer().stop();
      ProbeResult down = probe.attempt(TIMEOUT);
      assertThat(down.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      ProbeResult stillDown = probe.attempt(TIMEOUT);
      assertThat(stillDown.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_REFUSED);

      pg.peer().start();
      assertThat(probe.attempt(TIMEOUT).status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
    }
  }

  private static void terminateProbeConnections() throws Exception {
    try (var c = java.sql.DriverManager.getConnection(pg.peer().jdbcUrl(), PostgresServer.USER, "");
        var st = c.createStatement()) {
      st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'dialtone-region-agent'");
    }
  }

  @Test
  void aQueryOverTheStatementTimeoutIsClassifiedAsATimeout() {
    var e = new java.sql.SQLException("canceling statement due to statement timeout", "57014");
    ProbeResult r = PostgresProbe.classify(e);
    assertThat(r.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_TIMEOUT);
    assertThat(r.details()).containsEntry("sql_state", "57014");
  }
}
