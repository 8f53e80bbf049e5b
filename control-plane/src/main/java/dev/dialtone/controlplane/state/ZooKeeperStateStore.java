package dev.dialtone.controlplane.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.Recommendation;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanJournal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;

/**
 * The control plane's state in ZooKeeper. Every write is one multi-op whose first operation checks
 * the epoch znode's version, so a leader whose term has ended (a newer epoch was taken) cannot
 * write anything; writes of versioned values are also compare-and-set on their own znode.
 */
public final class ZooKeeperStateStore implements PlanJournal {
  private final CuratorFramework client;
  private final DeploymentPaths paths;
  private final ObjectMapper json;
  private final int historyCap;
  /** Epoch → version of the epoch znode that holds it; fixed forever once written. */
  private final Map<Long, Integer> epochVersions = new ConcurrentHashMap<>();

  public ZooKeeperStateStore(CuratorFramework client, DeploymentPaths paths, ObjectMapper json, int historyCap) {
    this.client = client;
    this.paths = paths;
    this.json = json;
    this.historyCap = historyCap;
  }

  public DeploymentPaths paths() {
    return paths;
  }

  // ---- generic reads and epoch-checked writes -------------------------------------------------

  /** Reads a JSON znode, or empty if it does not exist. */
  public <T> Optional<Versioned<T>> read(String path, Class<T> type) throws StateException {
    try {
      Stat stat = new Stat();
      byte[] data = client.getData().storingStatIn(stat).forPath(path);
      return Optional.of(new Versioned<>(json.readValue(data, type), stat.getVersion()));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StateException("unreadable JSON at " + path + ": " + e.getMessage(), e);
    } catch (Exception e) {
      throw unavailable("reading " + path, e);
    }
  }

  /**
   * Writes {@code value} at {@code path} under {@code epoch}: with {@code expectedVersion} ≥ 0 as a
   * compare-and-set, with -1 unconditionally (creating the znode if needed). Returns the new version.
   */
  public int write(long epoch, String path, Object value, int expectedVersion) throws StateException, InterruptedException {
    byte[] data = bytes(value);
    try {
      boolean exists = client.checkExists().forPath(path) != null;
      if (!exists) {
        ensureParent(path);
      }
      CuratorOp op = exists
          ? client.transactionOp().setData().withVersion(expectedVersion).forPath(path, data)
          : client.transactionOp().create().forPath(path, data);
      if (!exists && expectedVersion >= 0) {
        throw new StateException.Conflict(path);
      }
      multi(epoch, path, op);
      Stat stat = client.checkExists().forPath(path);
      return stat == null ? 0 : stat.getVersion();
    } catch (StateException e) {
      throw e;
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw unavailable("writing " + path, e);
    }
  }

  /** Deletes {@code path} under {@code epoch}; a missing znode is not an error. */
  public void delete(long epoch, String path) throws StateException, InterruptedException {
    try {
      if (client.checkExists().forPath(path) == null) {
        return;
      }
      multi(epoch, path, client.transactionOp().delete().forPath(path));
    } catch (StateException e) {
      if (!(e.getCause() instanceof KeeperException.NoNodeException)) {
        throw e;
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw unavailable("deleting " + path, e);
    }
  }

  /** Children names of {@code path}, or empty when it does not exist. */
  public List<String> children(String path) throws StateException {
    try {
      return client.getChildren().forPath(path);
    } catch (KeeperException.NoNodeException e) {
      return List.of();
    } catch (Exception e) {
      throw unavailable("listing " + path, e);
    }
  }

  private void multi(long epoch, String path, CuratorOp op) throws Exception {
    int epochVersion = epochVersion(epoch);
    List<CuratorOp> ops = List.of(client.transactionOp().check().withVersion(epochVersion).forPath(paths.epoch()), op);
    try {
      client.transaction().forOperations(ops);
    } catch (KeeperException e) {
      List<OpResult> results = e.getResults();
      if (results != null && !results.isEmpty() && results.get(0) instanceof OpResult.ErrorResult err
          && err.getErr() != KeeperException.Code.OK.intValue()
          && err.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
        epochVersions.remove(epoch);
        throw new StaleEpochException(epoch, path);
      }
      if (e instanceof KeeperException.BadVersionException || e instanceof KeeperException.NodeExistsException) {
        throw new StateException.Conflict(path);
      }
      if (e instanceof KeeperException.NoNodeException) {
        throw new StateException("no znode " + path, e);
      }
      throw e;
    }
  }

  /** The epoch znode version at which {@code epoch} was written; stale if the znode holds another epoch. */
  private int epochVersion(long epoch) throws Exception {
    Integer known = epochVersions.get(epoch);
    if (known != null) {
      return known;
    }
    Stat stat = new Stat();
    byte[] data;
    try {
      data = client.getData().storingStatIn(stat).forPath(paths.epoch());
    } catch (KeeperException.NoNodeException e) {
      throw new StaleEpochException(epoch, "anything (no epoch was ever taken)");
    }
    long current = Long.parseLong(new String(data, StandardCharsets.US_ASCII).trim());
    if (current != epoch) {
      throw new StaleEpochException(epoch, "anything (current epoch is " + current + ")");
    }
    epochVersions.put(epoch, stat.getVersion());
    return stat.getVersion();
  }

  private void ensureParent(String path) throws Exception {
    String parent = path.substring(0, path.lastIndexOf('/'));
    if (!parent.isEmpty() && client.checkExists().forPath(parent) == null) {
      try {
        client.create().creatingParentsIfNeeded().forPath(parent);
      } catch (KeeperException.NodeExistsException raced) {
        // someone else made it
      }
    }
  }

  private byte[] bytes(Object value) throws StateException {
    try {
      return json.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new StateException("cannot encode " + value.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private static StateException unavailable(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new StateException.Unavailable(what, e);
  }

  // ---- placement, regions, freeze, mode ---------------------------------------------------------

  public Optional<Versioned<Placement>> placement() throws StateException {
    return read(paths.placement(), Placement.class);
  }

  /** Compare-and-set of the placement ({@code expectedVersion} -1 only for the very first one). */
  public int writePlacement(long epoch, Placement placement, int expectedVersion) throws StateException, InterruptedException {
    return write(epoch, paths.placement(), placement, expectedVersion);
  }

  /** Every registered region by id. */
  public Map<String, RegionSpec> regions() throws StateException {
    Map<String, RegionSpec> regions = new TreeMap<>();
    for (String id : children(paths.regions())) {
      read(paths.region(id), RegionSpec.class).ifPresent(v -> regions.put(id, v.value()));
    }
    return regions;
  }

  public void putRegion(long epoch, RegionSpec region) throws StateException, InterruptedException {
    write(epoch, paths.region(region.id()), region, -1);
  }

  public Optional<FreezeSignal> freeze() throws StateException {
    return read(paths.freeze(), FreezeSignal.class).map(Versioned::value);
  }

  /** Sets the freeze signal, or lifts it when empty. */
  public void setFreeze(long epoch, Optional<FreezeSignal> freeze) throws StateException, InterruptedException {
    if (freeze.isPresent()) {
      write(epoch, paths.freeze(), freeze.get(), -1);
    } else {
      delete(epoch, paths.freeze());
    }
  }

  /** An operator's mode override (absent: the configured mode applies). */
  public Optional<Mode> modeOverride() throws StateException {
    return read(paths.mode(), Mode.class).map(Versioned::value);
  }

  public void setModeOverride(long epoch, Optional<Mode> mode) throws StateException, InterruptedException {
    if (mode.isPresent()) {
      write(epoch, paths.mode(), mode.get(), -1);
    } else {
      delete(epoch, paths.mode());
    }
  }

  /** A recommend-only replica's latest recommendation, if any. */
  public Optional<Recommendation> recommendation() throws StateException {
    return read(paths.recommendation(), Recommendation.class).map(Versioned::value);
  }

  public void setRecommendation(long epoch, Recommendation recommendation) throws StateException, InterruptedException {
    write(epoch, paths.recommendation(), recommendation, -1);
  }

  // ---- plan -----------------------------------------------------------------------------------

  public Optional<Plan> plan() throws StateException {
    return read(paths.plan(), Plan.class).map(Versioned::value);
  }

  @Override
  public void savePlan(long epoch, Plan plan) throws StateException, InterruptedException {
    write(epoch, paths.plan(), plan, -1);
  }

  // ---- history --------------------------------------------------------------------------------

  @Override
  public void record(long epoch, HistoryEntry entry) throws StateException, InterruptedException {
    try {
      ensureParent(paths.history() + "/x");
      multi(epoch, paths.history(), client.transactionOp().create().withMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .forPath(paths.history() + "/e-", bytes(entry)));
      prune(epoch);
    } catch (StateException | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw unavailable("appending history", e);
    }
  }

  private void prune(long epoch) throws Exception {
    List<String> names = new ArrayList<>(client.getChildren().forPath(paths.history()));
    if (names.size() <= historyCap) {
      return;
    }
    names.sort(Comparator.naturalOrder());
    for (String oldest : names.subList(0, names.size() - historyCap)) {
      try {
        multi(epoch, paths.history(), client.transactionOp().delete().forPath(paths.history() + "/" + oldest));
      } catch (KeeperException.NoNodeException gone) {
        // pruned concurrently
      }
    }
  }

  /**
   * A page of history, newest first. {@code pageToken} is the id of the last entry of the previous
   * page (empty for the newest); {@code planId} filters when not empty.
   */
  public HistoryPage history(int pageSize, String pageToken, String planId) throws StateException {
    List<String> names = new ArrayList<>(children(paths.history()));
    names.sort(Comparator.reverseOrder());
    List<HistoryEntry> page = new ArrayList<>();
    String last = "";
    boolean more = false;
    for (String name : names) {
      if (!pageToken.isEmpty() && name.compareTo(pageToken) >= 0) {
        continue;
      }
      Optional<Versioned<HistoryEntry>> e = read(paths.history() + "/" + name, HistoryEntry.class);
      if (e.isEmpty() || (!planId.isEmpty() && !planId.equals(e.get().value().planId()))) {
        continue;
      }
      if (page.size() == pageSize) {
        more = true;
        break;
      }
      page.add(e.get().value().withId(name));
      last = name;
    }
    return new HistoryPage(page, more ? last : "");
  }
}
