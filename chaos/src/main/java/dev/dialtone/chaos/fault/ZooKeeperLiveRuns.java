package dev.dialtone.chaos.fault;

import dev.dialtone.chaos.zookeeper.DrillZnodes;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Live runs as ephemeral znodes {@code drills/runs/<run id>} owned by the injecting leader's
 * session: when that leader dies its session ends, the marker vanishes, and its toxics become
 * orphans for the next leader's {@link OrphanToxicCleaner}.
 */
public final class ZooKeeperLiveRuns implements LiveRuns {
  private final CuratorFramework zookeeper;
  private final DrillZnodes znodes;

  public ZooKeeperLiveRuns(CuratorFramework zookeeper, DrillZnodes znodes) {
    this.zookeeper = zookeeper;
    this.znodes = znodes;
  }

  /** Marks a run live for as long as this client's session lasts (idempotent). */
  public void register(String runId) throws FaultException {
    try {
      zookeeper.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(znodes.run(runId));
    } catch (KeeperException.NodeExistsException e) {
      // Already registered (a retried injection).
    } catch (Exception e) {
      throw ZooKeeperFailures.classify("could not mark run " + runId + " live", e);
    }
  }

  /** Ends a run's liveness once its toxics are healed. */
  public void release(String runId) throws FaultException {
    try {
      zookeeper.delete().forPath(znodes.run(runId));
    } catch (KeeperException.NoNodeException e) {
      // Never registered or already released.
    } catch (Exception e) {
      throw ZooKeeperFailures.classify("could not release run " + runId, e);
    }
  }

  @Override
  public boolean isLive(String runId) throws FaultException {
    try {
      return zookeeper.checkExists().forPath(znodes.run(runId)) != null;
    } catch (Exception e) {
      throw ZooKeeperFailures.classify("could not check run " + runId, e);
    }
  }
}
