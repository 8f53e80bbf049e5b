package dev.dialtone.controlplane.leadership;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import org.apache.curator.framework.CuratorFramework;

/**
 * Reads the epoch znode immediately before a step: a newer epoch fences the caller; an unreadable
 * znode (ZooKeeper unreachable) is transient, so nothing moves until it can be checked.
 */
public final class ZooKeeperEpochGuard implements EpochGuard {
  private final EpochCounter counter;
  private final String name;

  public ZooKeeperEpochGuard(CuratorFramework client, String epochPath) {
    this.counter = new EpochCounter(client, epochPath);
    this.name = "zookeeper-epoch-guard";
  }

  @Override
  public void check(long epoch) throws ActuationException {
    long current;
    try {
      current = counter.current();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActuationException(ActuationException.Failure.TRANSIENT, name, "interrupted reading the epoch", e);
    } catch (Exception e) {
      throw new ActuationException(
          ActuationException.Failure.TRANSIENT, name, "could not read the epoch: " + e.getMessage(), e);
    }
    if (current != epoch) {
      throw new FencedException(name, epoch, current);
    }
  }
}
