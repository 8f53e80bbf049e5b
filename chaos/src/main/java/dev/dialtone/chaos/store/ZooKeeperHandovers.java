package dev.dialtone.chaos.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.chaos.run.RunCheckpoint;
import dev.dialtone.chaos.zookeeper.ChaosJson;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handed-over drill runs as JSON znodes {@code drills/handovers/<run id>}: written by a leader just
 * before a control-plane step kills or stops it, read and removed by the next leader, which
 * resumes the run. Persistent, not ephemeral: they must outlive the session of the leader that
 * wrote them.
 */
public final class ZooKeeperHandovers implements Handovers {
  private static final Logger log = LoggerFactory.getLogger(ZooKeeperHandovers.class);

  private final CuratorFramework zookeeper;
  private final DrillZnodes znodes;
  private final ObjectMapper json = ChaosJson.mapper();

  public ZooKeeperHandovers(CuratorFramework zookeeper, DrillZnodes znodes) {
    this.zookeeper = zookeeper;
    this.znodes = znodes;
  }

  /** Stores {@code checkpoint} (replacing one of the same run). */
  @Override
  public void save(RunCheckpoint checkpoint) throws IOException {
    String path = znodes.handover(checkpoint.runId());
    byte[] data = json.writeValueAsBytes(checkpoint);
    try {
      try {
        zookeeper.create().creatingParentContainersIfNeeded().forPath(path, data);
      } catch (KeeperException.NodeExistsException e) {
        zookeeper.setData().forPath(path, data);
      }
    } catch (Exception e) {
      throw new IOException("could not store the handover of run " + checkpoint.runId() + " at " + path + ": " + e, e);
    }
  }

  /** Every stored handover; one that cannot be parsed is logged and left for an operator. */
  @Override
  public List<RunCheckpoint> list() throws IOException {
    List<String> ids;
    try {
      ids = zookeeper.getChildren().forPath(znodes.handovers());
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw new IOException("could not list " + znodes.handovers() + ": " + e, e);
    }
    List<RunCheckpoint> found = new ArrayList<>();
    for (String id : ids) {
      try {
        found.add(json.readValue(zookeeper.getData().forPath(znodes.handover(id)), RunCheckpoint.class));
      } catch (KeeperException.NoNodeException e) {
        // removed meanwhile
      } catch (IOException e) {
        log.error("handover {} at {} is unreadable, left in place: {}", id, znodes.handover(id), e.getMessage());
      } catch (Exception e) {
        throw new IOException("could not read " + znodes.handover(id) + ": " + e, e);
      }
    }
    return found;
  }

  /** Removes the handover of {@code runId} once resumed (idempotent). */
  @Override
  public void remove(String runId) throws IOException {
    try {
      zookeeper.delete().forPath(znodes.handover(runId));
    } catch (KeeperException.NoNodeException e) {
      // already gone
    } catch (Exception e) {
      throw new IOException("could not remove " + znodes.handover(runId) + ": " + e, e);
    }
  }
}
