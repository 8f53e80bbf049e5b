package dev.dialtone.chaos.fault;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.chaos.zookeeper.ChaosJson;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The toxics in force, in ZooKeeper under {@code drills/toxics/<id>}: written before injection,
 * deleted after healing, so a toxic never exists in Toxiproxy without a record that outlives its
 * injector. A record is written only while the deployment's epoch is not newer than the record's.
 */
public final class ToxicLedger {
  private final CuratorFramework zookeeper;
  private final DrillZnodes znodes;
  private final ObjectMapper json = ChaosJson.mapper();

  public ToxicLedger(CuratorFramework zookeeper, DrillZnodes znodes) {
    this.zookeeper = zookeeper;
    this.znodes = znodes;
  }

  /** Records a toxic, fenced: refused if {@code /dialtone/<deployment>/epoch} is newer. */
  public void record(ToxicRecord record) throws FaultException {
    String path = znodes.toxic(record.id());
    try {
      byte[] data = json.writeValueAsBytes(record);
      zookeeper.createContainers(znodes.toxics());
      Stat epochStat = new Stat();
      byte[] epochData;
      try {
        epochData = zookeeper.getData().storingStatIn(epochStat).forPath(znodes.epoch());
      } catch (KeeperException.NoNodeException e) {
        zookeeper.create().withMode(CreateMode.PERSISTENT).forPath(path, data); // no control plane yet: nothing to fence against
        return;
      }
      long current = Long.parseLong(new String(epochData, StandardCharsets.US_ASCII).trim());
      if (current > record.epoch()) {
        throw new FaultException(
            FaultException.Failure.FENCED,
            "toxic " + record.id() + " refused: epoch " + record.epoch() + " is older than the current " + current,
            null);
      }
      // The version check makes "epoch unchanged" and "record written" one atomic step.
      zookeeper
          .transaction()
          .forOperations(
              zookeeper.transactionOp().check().withVersion(epochStat.getVersion()).forPath(znodes.epoch()),
              zookeeper.transactionOp().create().withMode(CreateMode.PERSISTENT).forPath(path, data));
    } catch (FaultException e) {
      throw e;
    } catch (KeeperException.BadVersionException e) {
      throw new FaultException(FaultException.Failure.FENCED, "toxic " + record.id() + " refused: the epoch changed while recording it", e);
    } catch (Exception e) {
      throw ZooKeeperFailures.classify("could not record toxic " + record.id(), e);
    }
  }

  /** Deletes a record; a record already gone is fine (healing is idempotent). */
  public void remove(String id) throws FaultException {
    try {
      zookeeper.delete().forPath(znodes.toxic(id));
    } catch (KeeperException.NoNodeException e) {
      // Already removed by another healer.
    } catch (Exception e) {
      throw ZooKeeperFailures.classify("could not remove toxic record " + id, e);
    }
  }

  /** Every recorded toxic, oldest first. */
  public List<ToxicRecord> list() throws FaultException {
    List<ToxicRecord> records = new ArrayList<>();
    try {
      List<String> ids;
      try {
        ids = zookeeper.getChildren().forPath(znodes.toxics());
      } catch (KeeperException.NoNodeException e) {
        return List.of();
      }
      for (String id : ids) {
        try {
          records.add(json.readValue(zookeeper.getData().forPath(znodes.toxic(id)), ToxicRecord.class));
        } catch (KeeperException.NoNodeException e) {
          // Healed between the listing and the read.
        }
      }
    } catch (IOException e) {
      throw new FaultException(FaultException.Failure.PERMANENT, "unreadable toxic record: " + e.getMessage(), e);
    } catch (Exception e) {
      throw ZooKeeperFailures.classify("could not list toxic records", e);
    }
    records.sort(Comparator.comparing(ToxicRecord::injectedAt).thenComparing(ToxicRecord::id));
    return records;
  }
}
