package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.peers.postgres.PostgresServer;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresServerIT {
  @RegisterExtension
  static final PeerExtension<PostgresServer> postgres = PeerExtension.of(PostgresServer::new);

  @Test
  void answersSelectOneAndKeepsDataAcrossRestart() throws Exception {
    PostgresServer server = postgres.peer();
    assertThat(server.selectOne()).isTrue();
    try (var c = DriverManager.getConnection(server.jdbcUrl(), PostgresServer.USER, "");
        var s = c.createStatement()) {
      s.execute("CREATE TABLE probe_marker (id int)");
    }

    server.stop();
    assertThatThrownBy(server::selectOne).isInstanceOf(java.sql.SQLException.class);

    server.start();
    try (var c = DriverManager.getConnection(server.jdbcUrl(), PostgresServer.USER, "");
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM probe_marker")) {
      assertThat(rs.next()).isTrue();
    }
  }
}
