package dev.dialtone.carrier.kamailio;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.carrier.kamailio.KamailioDispatcherActuator.Owner;
import dev.dialtone.carrier.kamailio.RoutingTables.DispatcherRow;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Kamailio's routing tables in PostgreSQL ({@code deploy/kamailio/dialtone-schema.sql}): one
 * transaction per apply takes the set's {@code dialtone_owner} row by compare-and-set on the
 * epoch, then replaces the set's dispatcher rows and the {@code dialtone_htable} rows. A row
 * holding a newer epoch refuses the write ({@link FencedException}) and nothing changes: the
 * database itself fences a stale leader, whatever its {@code EpochGuard} said. Every connect,
 * statement and lock wait is bounded by the configured timeout; errors are classified where
 * they arise (unreachable or timed out: transient; refused: permanent).
 */
final class RoutingDatabase implements AutoCloseable {
  /** Kamailio's htable definition under the name of the {@code dialtone} htable's table. */
  static final String HTABLE_TABLE = "dialtone_htable";

  // The same definition as dialtone-schema.sql; created only if missing (it is Dialtone's own).
  private static final String OWNER_DDL = """
      CREATE TABLE IF NOT EXISTS dialtone_owner (
          set_id INTEGER PRIMARY KEY NOT NULL,
          epoch BIGINT NOT NULL CHECK (epoch >= 0),
          plan_id VARCHAR(64) NOT NULL,
          mode VARCHAR(16) NOT NULL CHECK (mode IN ('routed', 'outage')),
          updated_at TIMESTAMP WITH TIME ZONE NOT NULL
      )""";

  // The conditional write: the update happens only while the row's epoch is not newer than ours.
  // ON CONFLICT locks the row, so concurrent writers of one set serialize here until commit.
  private static final String TAKE_OWNERSHIP = """
      INSERT INTO dialtone_owner (set_id, epoch, plan_id, mode, updated_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (set_id) DO UPDATE
        SET epoch = EXCLUDED.epoch, plan_id = EXCLUDED.plan_id, mode = EXCLUDED.mode, updated_at = EXCLUDED.updated_at
        WHERE dialtone_owner.epoch <= EXCLUDED.epoch
      RETURNING epoch""";

  /** SQLSTATEs worth retrying: connection, shutdown, timeouts (statement, idle transaction), lock waits, serialization. */
  private static final Set<String> TRANSIENT_STATES =
      Set.of("57P01", "57P02", "57P03", "57014", "25P03", "55P03", "40001", "40P01");

  private final KamailioConfig.Database database;
  private final Duration timeout;
  private final String actuator;
  private final Clock clock;
  private Connection connection;
  private boolean ownerTableChecked;

  RoutingDatabase(KamailioConfig.Database database, Duration timeout, String actuator, Clock clock) {
    this.database = database;
    this.timeout = timeout;
    this.actuator = actuator;
    this.clock = clock;
  }

  /**
   * In one transaction: takes the owner row of {@code setId} for {@code tables.epoch()}, replaces
   * the dispatcher rows of sets {@code setId .. tables.lastSet(setId)} (and any earlier rows
   * written for this base set) and every {@code dialtone_htable} row, then commits.
   *
   * @throws FencedException if the owner row holds a newer epoch; the transaction is rolled back
   */
  synchronized void write(int setId, RoutingTables tables) throws ActuationException {
    // Rows first: a row Kamailio's columns cannot hold is refused before any I/O.
    List<DispatcherRow> rows = tables.dispatcherRows(setId);
    Map<String, Integer> htable = tables.htable(setId);
    Connection c = connection("writing the routing of set " + setId);
    boolean committed = false;
    try {
      c.setAutoCommit(false);
      long owner = takeOwnership(c, setId, tables);
      if (owner > tables.epoch()) {
        throw new FencedException(actuator, tables.epoch(), owner);
      }
      try (PreparedStatement delete = c.prepareStatement(
          "DELETE FROM dispatcher WHERE setid = ? OR description = ? OR (setid > ? AND setid <= ?)")) {
        delete.setInt(1, setId);
        delete.setString(2, RoutingTables.description(setId));
        delete.setInt(3, setId);
        delete.setInt(4, tables.lastSet(setId));
        delete.executeUpdate();
      }
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO dispatcher (setid, destination, flags, priority, attrs, description) VALUES (?, ?, 0, ?, ?, ?)")) {
        for (DispatcherRow row : rows) {
          insert.setInt(1, row.setId());
          insert.setString(2, row.destination());
          insert.setInt(3, row.priority());
          insert.setString(4, row.attrs());
          insert.setString(5, row.description());
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (Statement clear = c.createStatement()) {
        clear.executeUpdate("DELETE FROM " + HTABLE_TABLE);
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + HTABLE_TABLE
          + " (key_name, key_type, value_type, key_value, expires) VALUES (?, 0, 1, ?, 0)")) {
        for (Map.Entry<String, Integer> e : htable.entrySet()) {
          insert.setString(1, e.getKey());
          insert.setString(2, Integer.toString(e.getValue()));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      c.commit();
      committed = true;
    } catch (SQLException e) {
      throw classify(e, "writing the routing of set " + setId);
    } finally {
      // Never let the driver's auto-commit switch commit half a transaction.
      if (!committed) {
        rollbackQuietly(c);
      }
      autoCommitQuietly(c);
    }
  }

  // The row's epoch after the conditional write: ours if it took, the newer owner's if not.
  private long takeOwnership(Connection c, int setId, RoutingTables tables) throws SQLException {
    try (PreparedStatement take = c.prepareStatement(TAKE_OWNERSHIP)) {
      take.setInt(1, setId);
      take.setLong(2, tables.epoch());
      take.setString(3, tables.planId());
      take.setString(4, tables.outage() ? "outage" : "routed");
      take.setTimestamp(5, Timestamp.from(clock.instant()));
      try (ResultSet rs = take.executeQuery()) {
        if (rs.next()) {
          return rs.getLong(1);
        }
      }
    }
    try (PreparedStatement read = c.prepareStatement("SELECT epoch FROM dialtone_owner WHERE set_id = ?")) {
      read.setInt(1, setId);
      try (ResultSet rs = read.executeQuery()) {
        // The row exists (the conditional update refused it) and only grows.
        return rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
      }
    }
  }

  /** The owner row of {@code setId}, if any epoch has written it. */
  synchronized Optional<Owner> owner(int setId) throws ActuationException {
    Connection c = connection("reading the owner of set " + setId);
    try (PreparedStatement read = c.prepareStatement(
        "SELECT epoch, plan_id, mode, updated_at FROM dialtone_owner WHERE set_id = ?")) {
      read.setInt(1, setId);
      try (ResultSet rs = read.executeQuery()) {
        return rs.next()
            ? Optional.of(new Owner(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw classify(e, "reading the owner of set " + setId);
    }
  }

  private Connection connection(String what) throws ActuationException {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(database.jdbcUrl(), properties());
      }
      if (!ownerTableChecked) {
        ensureOwnerTable(connection);
        ownerTableChecked = true;
      }
      return connection;
    } catch (SQLException e) {
      throw classify(e, what);
    }
  }

  // dialtone_owner is Dialtone's own table: create it if the DBA has not (dialtone-schema.sql).
  private static void ensureOwnerTable(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT to_regclass('dialtone_owner') IS NOT NULL")) {
      if (rs.next() && rs.getBoolean(1)) {
        return;
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute(OWNER_DDL);
    }
  }

  private Properties properties() {
    int seconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    Properties p = new Properties();
    p.setProperty("user", database.user());
    if (database.password() != null) {
      p.setProperty("password", database.password().reveal());
    }
    p.setProperty("connectTimeout", Integer.toString(seconds));
    p.setProperty("loginTimeout", Integer.toString(seconds));
    // The server gives up on a statement or a lock wait first; the socket timeout is the backstop.
    p.setProperty("socketTimeout", Integer.toString(seconds + 1));
    p.setProperty("options", sessionOptions(timeout));
    p.setProperty("ApplicationName", "dialtone " + actuator);
    p.setProperty("tcpKeepAlive", "true");
    return p;
  }

  /**
   * The server-side bounds of every session: a statement, a lock wait, and a transaction left idle.
   * The last one matters for fencing: a leader frozen mid-transaction (SIGSTOP, a long GC pause, a
   * suspended VM) would otherwise hold the owner row's lock for as long as it stays frozen, and its
   * successor's writes would time out on that lock until it wakes; the server ends such a session
   * and its transaction after {@code timeout}, so the new leader's retry takes the row.
   */
  static String sessionOptions(Duration timeout) {
    long ms = timeout.toMillis();
    return "-c statement_timeout=" + ms + " -c lock_timeout=" + ms + " -c idle_in_transaction_session_timeout=" + ms;
  }

  private ActuationException classify(SQLException e, String what) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    boolean retryable = state.startsWith("08") || state.startsWith("53") || TRANSIENT_STATES.contains(state)
        || e instanceof SQLTransientException || e instanceof SQLRecoverableException || causedByIo(e);
    String where = "PostgreSQL at " + database.shown();
    if (retryable) {
      closeQuietly();
      return new ActuationException(Failure.TRANSIENT, actuator,
          where + " unreachable or timed out " + what + " (SQLSTATE " + state + "): " + e.getMessage(), e);
    }
    if (state.startsWith("08") || causedByIo(e)) {
      closeQuietly();
    }
    String hint = "42P01".equals(state) ? "; create the tables with deploy/kamailio/dialtone-schema.sql" : "";
    return new ActuationException(Failure.PERMANENT, actuator,
        where + " refused " + what + " (SQLSTATE " + state + "): " + e.getMessage() + hint, e);
  }

  private static boolean causedByIo(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.isClosed() && !c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is broken; classify() closes it.
    }
  }

  private static void autoCommitQuietly(Connection c) {
    try {
      if (!c.isClosed()) {
        c.setAutoCommit(true);
      }
    } catch (SQLException ignored) {
      // Reconnected on next use.
    }
  }

  private void closeQuietly() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Already broken.
      }
      connection = null;
      ownerTableChecked = false;
    }
  }

  @Override
  public synchronized void close() {
    closeQuietly();
  }
}
