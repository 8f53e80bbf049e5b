package dev.dialtone.controlplane.leadership;

import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/** The leadership epoch znode: read it, or take the next epoch by compare-and-set. */
public final class EpochCounter {
  private final CuratorFramework client;
  private final String path;

  public EpochCounter(CuratorFramework client, String path) {
    this.client = client;
    this.path = path;
  }

  /** An epoch with the znode version it was written at (state writes check that version). */
  public record Term(long epoch, int version) {}

  /** Increments the epoch by compare-and-set on the znode version; retries only on a lost race. */
  public Term next() throws Exception {
    while (true) {
      Stat stat = new Stat();
      byte[] data;
      try {
        data = client.getData().storingStatIn(stat).forPath(path);
      } catch (KeeperException.NoNodeException e) {
        try {
          client.create().creatingParentContainersIfNeeded().forPath(path, encode(1));
          return new Term(1, 0);
        } catch (KeeperException.NodeExistsException raced) {
          continue;
        }
      }
      long next = decode(data) + 1;
      try {
        Stat written = client.setData().withVersion(stat.getVersion()).forPath(path, encode(next));
        return new Term(next, written.getVersion());
      } catch (KeeperException.BadVersionException raced) {
        // another term began between our read and write: read again
      }
    }
  }

  /** The current epoch, or 0 if none was ever taken. */
  public long current() throws Exception {
    try {
      return decode(client.getData().forPath(path));
    } catch (KeeperException.NoNodeException e) {
      return 0;
    }
  }

  static byte[] encode(long epoch) {
    return Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
  }

  static long decode(byte[] data) {
    return data == null || data.length == 0 ? 0 : Long.parseLong(new String(data, StandardCharsets.US_ASCII).trim());
  }
}
