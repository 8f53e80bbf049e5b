package dev.dialtone.actuation.zookeeper;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads the epoch znode immediately before a step, after a {@code sync} so a lagging follower
 * cannot show an old epoch: any epoch but the znode's fences the caller (an older one is a stale
 * leader, a newer one was never taken); an unreadable znode (ZooKeeper unreachable) is transient,
 * so nothing moves until it can be checked.
 */
public final class ZooKeeperEpochGuard implements EpochGuard {
  private static final String NAME = "zookeeper-epoch-guard";
  private final CuratorFramework client;
  private final String epochPath;

  public ZooKeeperEpochGuard(CuratorFramework client, String epochPath) {
    this.client = Objects.requireNonNull(client, "ZooKeeperEpochGuard needs a Curator client");
    if (epochPath == null || !epochPath.startsWith("/")) {
      throw new IllegalArgumentException("ZooKeeperEpochGuard: epoch path must be an absolute znode path, was '" + epochPath + "'");
    }
    this.epochPath = epochPath;
  }

  @Override
  public void check(long epoch) throws ActuationException {
    long current;
    try {
      current = current();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActuationException(ActuationException.Failure.TRANSIENT, NAME, "interrupted reading " + epochPath, e);
    } catch (Exception e) {
      throw new ActuationException(
          ActuationException.Failure.TRANSIENT, NAME, "could not read " + epochPath + ": " + e.getMessage(), e);
    }
    if (current != epoch) {
      throw new FencedException(NAME, epoch, current);
    }
  }

  /** The epoch the znode holds now, as the ZooKeeper leader has it; 0 if none was ever taken. */
  long current() throws Exception {
    ZooKeeperSync.sync(client, epochPath, ZooKeeperSync.DEFAULT_TIMEOUT);
    byte[] data;
    try {
      data = client.getData().forPath(epochPath);
    } catch (KeeperException.NoNodeException e) {
      return 0;
    }
    String text = data == null ? "" : new String(data, StandardCharsets.US_ASCII).strip();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(epochPath + " holds '" + text + "', not a decimal epoch", e);
    }
  }
}
