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
 * across leader changes and restarts.
 */
public final class ZooKeeperDrillClaims implements DrillClaims {
  private final CuratorFramework zookeeper;
  private final DrillZnodes znodes;
  private final Clock clock;
  private final String replica;
  private final ObjectMapper json = ChaosJson.mapper();

  public ZooKeeperDrillClaims(CuratorFramework zookeeper, DrillZnodes znodes, Clock clock, String replica) {
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
}
