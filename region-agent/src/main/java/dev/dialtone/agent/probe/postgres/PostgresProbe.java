package dev.dialtone.agent.probe.postgres;

import dev.dialtone.agent.probe.Probe;
import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.proto.v1.FailureCause;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * PostgreSQL over JDBC: {@code SELECT 1} under a statement timeout on a kept connection, which is
 * dropped and re-established after any failure. When a lag threshold is set, also reads
 * {@code pg_is_in_recovery()} and, on a standby that has not replayed all it received, the replay
 * delay (time since the last replayed commit, or since the standby started if it has replayed
 * none, an upper bound rather than a guess of zero): DEGRADED above the threshold.
 */
public final class PostgresProbe implements Probe {
  private static final String LAG_QUERY =
      "SELECT pg_is_in_recovery(), CASE WHEN NOT pg_is_in_recovery() THEN 0"
          + " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
          + " ELSE EXTRACT(EPOCH FROM now() - COALESCE(pg_last_xact_replay_timestamp(), pg_postmaster_start_time())) * 1000 END";

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Duration lagAbove;
  private Connection connection;

  /** {@code password} and {@code lagAbove} may be null. */
  public PostgresProbe(String jdbcUrl, String user, String password, Duration lagAbove) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.lagAbove = lagAbove;
  }

  @Override
  public ProbeResult attempt(Duration timeout) {
    try {
      Connection c = connection(timeout);
      try (Statement st = c.createStatement()) {
        try (ResultSet rs = st.executeQuery("SELECT 1")) {
          rs.next();
        }
        if (lagAbove == null) {
          return ProbeResult.up();
        }
        try (ResultSet rs = st.executeQuery(LAG_QUERY)) {
          rs.next();
          boolean standby = rs.getBoolean(1);
          long lagMs = Math.round(rs.getDouble(2));
          Map<String, String> details = Map.of("in_recovery", Boolean.toString(standby), "replication_lag_ms", Long.toString(lagMs));
          if (lagMs > lagAbove.toMillis()) {
            return ProbeResult.degraded(FailureCause.FAILURE_CAUSE_REPLICATION_LAG,
                "replication lag " + lagMs + " ms above " + lagAbove.toMillis() + " ms").withDetails(details);
          }
          return ProbeResult.up().withDetails(details);
        }
      }
    } catch (SQLException e) {
      closeConnection();
      return classify(e);
    } catch (RuntimeException e) {
      closeConnection();
      throw e;
    }
  }

  private Connection connection(Duration timeout) throws SQLException {
    if (connection != null && !connection.isClosed()) {
      return connection;
    }
    int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    props.setProperty("connectTimeout", Integer.toString(seconds));
    props.setProperty("loginTimeout", Integer.toString(seconds));
    // The socket timeout backstops the statement timeout when the server stops answering at all.
    props.setProperty("socketTimeout", Integer.toString(seconds + 1));
    props.setProperty("ApplicationName", "dialtone-region-agent");
    props.setProperty("options", "-c statement_timeout=" + Math.max(1, timeout.toMillis()));
    connection = DriverManager.getConnection(jdbcUrl, props);
    return connection;
  }

  /** Maps a driver error to a result by SQLSTATE and cause. */
  static ProbeResult classify(SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "connection refused");
      }
      if (t instanceof SocketTimeoutException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "socket timeout: " + t.getMessage());
      }
    }
    Map<String, String> details = Map.of("sql_state", state);
    if (state.equals("57014")) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "statement timeout").withDetails(details);
    }
    if (state.startsWith("08")) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "connection failure: " + e.getMessage()).withDetails(details);
    }
    if (state.startsWith("28")) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "authentication failed").withDetails(details);
    }
    return ProbeResult.down(FailureCause.FAILURE_CAUSE_SERVER_ERROR, e.getMessage()).withDetails(details);
  }

  private void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already broken; a new connection is made next round.
      }
      connection = null;
    }
  }

  @Override
  public void close() {
    closeConnection();
  }
}
