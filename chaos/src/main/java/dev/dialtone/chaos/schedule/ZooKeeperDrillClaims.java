package dev.dialtone.chaos.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.chaos.zookeeper.ChaosJson;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Claims as persistent znodes {@code drills/claims/<drill>/<scheduled epoch millis>}: ZooKeeper's
 * create either makes the node or fails with node-exists, so exactly one replica wins each time,
 * across leader changes and restarts. Only the newest {@code kept} claims of a drill are kept:
 * a scheduler only ever asks about a drill's latest scheduled time, which is always among them.
 */
public final class ZooKeeperDrillClaims implements DrillClaims {
  private final CuratorFramework zookeeper;
  private final DrillZnodes znodes;
  private final Clock clock;
  private final String replica;
  private final ObjectMapper json = ChaosJson.mapper();
  /** Claims kept per drill by default (a monthly drill: most of a year of who ran what, when). */
  public static final int KEEP = 10;
  private final int kept;

  public ZooKeeperDrillClaims(CuratorFramework zookeeper, DrillZnodes znodes, Clock clock, String replica) {
    this(zookeeper, znodes, clock, replica, KEEP);
  }

  /** @param kept claims kept per drill, at least 1 */
  public ZooKeeperDrillClaims(CuratorFramework zookeeper, DrillZnodes znodes, Clock clock, String replica, int kept) {
    if (kept < 1) {
      throw new IllegalArgumentException("claims kept must be at least 1, was " + kept);
    }
    this.kept = kept;
    this.zookeeper = zookeeper;
    this.znodes = znodes;
    this.clock = clock;
    this.replica = replica;
  }

  @Override
  public boolean claim(String drill, Instant scheduledTime, long epoch) throws ClaimException {
    String path = znodes.claim(drill, scheduledTime.toEpochMilli());
    try {
      byte[] data =
          json.writeValueAsBytes(
              Map.of(
                  "drill", drill,
                  "scheduledTime", scheduledTime.toString(),
                  "epoch", epoch,
                  "replica", replica,
                  "claimedAt", clock.instant().toString()));
      zookeeper.create().creatingParentContainersIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
      prune(drill);
      return true;
    } catch (KeeperException.NodeExistsException e) {
      return false;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new ClaimException("could not claim " + path + ": " + e, e);
    }
  }

  // Oldest first by scheduled time; another replica pruning at once is harmless (no-node).
  private void prune(String drill) throws Exception {
    java.util.List<Long> times = new java.util.ArrayList<>();
    for (String child : zookeeper.getChildren().forPath(znodes.claims(drill))) {
      try {
        times.add(Long.parseLong(child));
      } catch (NumberFormatException e) {
        // not a claim this class wrote: leave it
      }
    }
    java.util.Collections.sort(times);
    for (long old : times.subList(0, Math.max(0, times.size() - kept))) {
      try {
        zookeeper.delete().forPath(znodes.claim(drill, old));
      } catch (KeeperException.NoNodeException e) {
        // pruned by another replica
      }
    }
  }
}
