package dev.dialtone.actuation.zookeeper;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Makes the next read of a path linearizable: ZooKeeper serves reads from whichever server the
 * session is on, which may be a follower that has not yet applied the newest writes; {@code sync}
 * makes that server catch up with the leader first. Curator runs sync only in the background, so
 * this waits for its callback.
 */
public final class ZooKeeperSync {
  /** How long a sync may take before the read is given up as unreachable. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private ZooKeeperSync() {}

  /**
   * Syncs {@code path}'s server with the leader, waiting up to {@code timeout}.
   *
   * @throws KeeperException the sync's error (e.g. connection loss after Curator's retries)
   * @throws TimeoutException if no answer came within {@code timeout}
   */
  public static void sync(CuratorFramework client, String path, Duration timeout) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger resultCode = new AtomicInteger();
    client.sync().inBackground((c, event) -> {
      resultCode.set(event.getResultCode());
      done.countDown();
    }).forPath(path);
    if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("no answer to sync of " + path + " within " + timeout.toMillis() + " ms");
    }
    KeeperException.Code code = KeeperException.Code.get(resultCode.get());
    if (code != KeeperException.Code.OK) {
      throw KeeperException.create(code, path);
    }
  }
}
