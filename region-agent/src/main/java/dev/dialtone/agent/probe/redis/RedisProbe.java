package dev.dialtone.agent.probe.redis;

import dev.dialtone.agent.probe.Probe;
import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.proto.v1.FailureCause;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Redis with Jedis (plain sockets: no event loop, no reactive runtime beside the agent's own):
 * {@code PING} on a kept connection, and optionally a SET/GET round trip on a probe key with a
 * TTL. Connect and read are bounded by the probe's timeout; a broken connection is dropped and
 * made again at the next attempt, so a dead server shows as DOWN at once.
 */
public final class RedisProbe implements Probe {
  private final HostAndPort address;
  private final boolean tls;
  private final String password;
  private final String probeKey;
  private final Duration keyTtl;
  private Jedis connection;
  private long counter;

  /**
   * @param uri {@code redis://host:port} or {@code rediss://host:port} (TLS)
   * @param password the server's password, or {@code null}
   * @param probeKey null disables the SET/GET round trip
   */
  public RedisProbe(URI uri, String password, String probeKey, Duration keyTtl) {
    this.address = new HostAndPort(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort());
    this.tls = "rediss".equals(uri.getScheme());
    this.password = password;
    this.probeKey = probeKey;
    this.keyTtl = keyTtl;
  }

  @Override
  public synchronized ProbeResult attempt(Duration timeout) {
    try {
      if (connection == null) {
        int ms = (int) Math.max(1, timeout.toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(ms).socketTimeoutMillis(ms).ssl(tls);
        if (password != null) {
          config.password(password);
        }
        connection = new Jedis(address, config.build());
      }
      connection.getConnection().setSoTimeout((int) Math.max(1, timeout.toMillis()));
      String pong = connection.ping();
      if (!"PONG".equals(pong)) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "unexpected PING reply");
      }
      if (probeKey != null) {
        String value = Long.toString(++counter);
        connection.set(probeKey, value, SetParams.setParams().px(keyTtl.toMillis()));
        String read = connection.get(probeKey);
        if (!value.equals(read)) {
          return ProbeResult.down(FailureCause.FAILURE_CAUSE_SERVER_ERROR, "SET/GET round trip read back a different value");
        }
      }
      return ProbeResult.up();
    } catch (JedisConnectionException e) {
      dropConnection();
      return classify(e, timeout);
    } catch (JedisException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_SERVER_ERROR, message(e));
    }
  }

  private static ProbeResult classify(JedisException e, Duration timeout) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "connection refused");
      }
      if (t instanceof SocketTimeoutException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "no answer within " + timeout);
      }
    }
    return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, message(e));
  }

  private static String message(Throwable e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (RuntimeException e) {
        // already broken
      }
      connection = null;
    }
  }

  @Override
  public synchronized void close() {
    dropConnection();
  }
}
