package dev.dialtone.agent.probe.redis;

import dev.dialtone.agent.probe.Probe;
import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.proto.v1.FailureCause;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.ConnectException;
import java.time.Duration;

/**
 * Redis with Lettuce: {@code PING} on a kept connection, and optionally a SET/GET round trip on a
 * probe key with a TTL. Commands fail fast while disconnected instead of queueing, so a dead
 * server shows as DOWN at once rather than as a slow timeout.
 */
public final class RedisProbe implements Probe {
  private final RedisClient client;
  private final RedisURI uri;
  private final String probeKey;
  private final Duration keyTtl;
  private StatefulRedisConnection<String, String> connection;
  private long counter;

  /** {@code probeKey} null disables the SET/GET round trip. */
  public RedisProbe(RedisURI uri, Duration timeout, String probeKey, Duration keyTtl) {
    this.uri = uri;
    this.probeKey = probeKey;
    this.keyTtl = keyTtl;
    this.client = RedisClient.create();
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(timeout).build())
            .timeoutOptions(TimeoutOptions.enabled(timeout))
            .build());
    uri.setTimeout(timeout);
  }

  @Override
  public ProbeResult attempt(Duration timeout) {
    try {
      if (connection == null) {
        connection = client.connect(uri);
      }
      connection.setTimeout(timeout);
      RedisCommands<String, String> commands = connection.sync();
      String pong = commands.ping();
      if (!"PONG".equals(pong)) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "unexpected PING reply");
      }
      if (probeKey != null) {
        String value = Long.toString(++counter);
        commands.set(probeKey, value, SetArgs.Builder.px(keyTtl));
        String read = commands.get(probeKey);
        if (!value.equals(read)) {
          return ProbeResult.down(FailureCause.FAILURE_CAUSE_SERVER_ERROR, "SET/GET round trip read back a different value");
        }
      }
      return ProbeResult.up();
    } catch (RedisCommandTimeoutException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "no answer within " + timeout);
    } catch (RedisConnectionException e) {
      dropConnection();
      return refusedOrOther(e);
    } catch (RedisException e) {
      return refusedOrOther(e);
    }
  }

  private static ProbeResult refusedOrOther(RedisException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "connection refused");
      }
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    if (message.contains("not connected") || message.contains("Connection closed")) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, message);
    }
    return ProbeResult.down(FailureCause.FAILURE_CAUSE_SERVER_ERROR, message);
  }

  private void dropConnection() {
    if (connection != null) {
      connection.closeAsync();
      connection = null;
    }
  }

  @Override
  public void close() {
    dropConnection();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
