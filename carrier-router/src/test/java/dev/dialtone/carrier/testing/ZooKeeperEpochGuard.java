package dev.dialtone.carrier.testing;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;

/**
 * The control plane's epoch check as the tests need it: reads {@code /dialtone/<deployment>/epoch}
 * from ZooKeeper and refuses an older epoch.
 */
public final class ZooKeeperEpochGuard implements EpochGuard {
  private final CuratorFramework client;
  private final String path;
  private int checks;

  public ZooKeeperEpochGuard(CuratorFramework client, String deployment) {
    this.client = client;
    this.path = "/dialtone/" + deployment + "/epoch";
  }

  /** Sets the current epoch, as a new leader term would. */
  public void set(long epoch) throws Exception {
    byte[] data = Long.toString(epoch).getBytes(StandardCharsets.US_ASCII);
    if (client.checkExists().forPath(path) == null) {
      client.create().creatingParentsIfNeeded().forPath(path, data);
    } else {
      client.setData().forPath(path, data);
    }
  }

  /** How many checks were made. */
  public synchronized int checks() {
    return checks;
  }

  @Override
  public void check(long epoch) throws ActuationException {
    synchronized (this) {
      checks++;
    }
    long current;
    try {
      current = Long.parseLong(new String(client.getData().forPath(path), StandardCharsets.US_ASCII).strip());
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ActuationException(ActuationException.Failure.TRANSIENT, "epoch-guard", "cannot read " + path + ": " + e, e);
    }
    if (current > epoch) {
      throw new FencedException("epoch-guard", epoch, current);
    }
  }
}
