package dev.dialtone.dns.epoch;

import dev.dialtone.actuation.zookeeper.ZooKeeperSync;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reads the current leadership epoch from ZooKeeper, {@code /dialtone/<deployment>/epoch}
 * (decimal ASCII, written by the control plane), for break-glass commands that must act under
 * the current epoch rather than guess one.
 */
public final class ZooKeeperEpoch {
  private ZooKeeperEpoch() {}

  /** The znode holding {@code deployment}'s epoch. */
  public static String path(String deployment) {
    return "/dialtone/" + deployment + "/epoch";
  }

  /**
   * The current epoch as the ZooKeeper leader has it (synced first, so a lagging follower cannot
   * hand out an old one).
   *
   * @throws IllegalStateException if no epoch was ever written or it is not a number
   * @throws Exception if ZooKeeper cannot be read (unreachable, not authorized)
   */
  public static long read(CuratorFramework client, String deployment) throws Exception {
    String path = path(deployment);
    byte[] data;
    ZooKeeperSync.sync(client, path, ZooKeeperSync.DEFAULT_TIMEOUT);
    try {
      data = client.getData().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      throw new IllegalStateException("no epoch at " + path + ": has a control plane leader ever been elected for " + deployment + "?", e);
    }
    String text = new String(data == null ? new byte[0] : data, StandardCharsets.US_ASCII).strip();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(path + " holds '" + text + "', not a decimal epoch", e);
    }
  }
}
