package dev.dialtone.chaos.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.chaos.drill.DrillCatalog;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillFileReader;
import dev.dialtone.chaos.zookeeper.ChaosJson;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drill set in ZooKeeper: {@code drills/definitions/<name>} holds a {@link StoredDrill} (JSON),
 * {@code drills/deleted/<name>} a tombstone. Reads come from a {@link CuratorCache}, so every
 * replica sees an apply within a watch round trip and keeps its last view while ZooKeeper is away;
 * each replica validates every stored text against its own scope and runs only what passes. Writes
 * check the deployment's epoch in the same transaction, as toxic records do.
 */
public final class ZooKeeperDrillStore implements DrillStore {
  private static final Logger log = LoggerFactory.getLogger(ZooKeeperDrillStore.class);

  private static final Duration READ_OWN_WRITE = Duration.ofSeconds(2);

  private record View(List<StoredDrill> stored, List<DrillDefinition> drills) {}

  private final CuratorFramework zookeeper;
  private final DrillZnodes znodes;
  private final DrillFileReader reader;
  private final Clock clock;
  private final ObjectMapper json = ChaosJson.mapper();
  private final CuratorCache cache;
  private final CountDownLatch loaded = new CountDownLatch(1);
  private volatile View view = new View(List.of(), List.of());

  public ZooKeeperDrillStore(CuratorFramework zookeeper, DrillZnodes znodes, DrillFileReader reader, Clock clock) {
    this.zookeeper = zookeeper;
    this.znodes = znodes;
    this.reader = reader;
    this.clock = clock;
    this.cache = CuratorCache.build(zookeeper, znodes.definitions());
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forAll((type, before, after) -> {
          if (loaded.getCount() == 0) {
            refresh();
          }
        })
        .forInitialized(() -> {
          refresh();
          loaded.countDown();
        })
        .build());
  }

  /** Starts watching; {@link #drills()} is empty until the first load. */
  public ZooKeeperDrillStore start() {
    cache.start();
    return this;
  }

  /** Waits for the first load; false if ZooKeeper did not answer within {@code timeout}. */
  public boolean awaitLoaded(Duration timeout) throws InterruptedException {
    return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void refresh() {
    String prefix = znodes.definitions() + "/";
    List<StoredDrill> stored = new ArrayList<>();
    List<DrillDefinition> drills = new ArrayList<>();
    for (ChildData child : cache.stream().filter(c -> c.getPath().startsWith(prefix)).toList()) {
      StoredDrill s;
      try {
        s = json.readValue(child.getData(), StoredDrill.class);
      } catch (IOException | RuntimeException e) {
        log.warn("[drills] {} is not a stored drill, ignored: {}", child.getPath(), e.getMessage());
        continue;
      }
      stored.add(s);
      try {
        drills.add(reader.read(s.source(), s.yaml()));
      } catch (ConfigException e) {
        // Another replica's scope accepted it (e.g. it knows a region this one does not).
        log.warn("[drills] drill {} (applied by {} at {}) is not valid on this replica, not run here:\n{}", s.name(),
            s.appliedBy(), s.appliedAt(), e.getMessage());
      }
    }
    stored.sort(Comparator.comparing(StoredDrill::name));
    drills.sort(Comparator.comparing(DrillDefinition::name));
    view = new View(List.copyOf(stored), List.copyOf(drills));
    notifyAll();
  }

  /**
   * Waits (briefly) until the cache shows what this store just wrote, so the writer reads its own
   * write: {@code drill list} right after {@code drill apply} on the leader shows the drill.
   */
  private synchronized void awaitCached(String name, java.util.function.Predicate<Optional<StoredDrill>> written)
      throws InterruptedException {
    long deadline = System.nanoTime() + READ_OWN_WRITE.toNanos();
    while (!written.test(view.stored().stream().filter(s -> s.name().equals(name)).findFirst())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        log.warn("[drills] drill {} written, not yet in this replica's cache; it appears within a watch round trip", name);
        return;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  @Override
  public List<DrillDefinition> drills() {
    return view.drills();
  }

  @Override
  public List<StoredDrill> stored() {
    return view.stored();
  }

  @Override
  public Applied apply(String source, String yaml, String appliedBy, long epoch) throws DrillStoreException {
    DrillDefinition drill = reader.read(source, yaml); // ConfigException: nothing written
    String path = znodes.definition(drill.name());
    try {
      Stat stat = new Stat();
      Optional<StoredDrill> current = read(path, stat);
      if (current.isPresent() && current.get().yaml().equals(yaml)) {
        return new Applied(drill, Outcome.UNCHANGED);
      }
      byte[] data = json.writeValueAsBytes(new StoredDrill(drill.name(), source, yaml, appliedBy, clock.instant(), epoch));
      List<CuratorOp> ops = new ArrayList<>();
      ops.add(current.isPresent()
          ? zookeeper.transactionOp().setData().withVersion(stat.getVersion()).forPath(path, data)
          : zookeeper.transactionOp().create().forPath(path, data));
      if (zookeeper.checkExists().forPath(znodes.deletion(drill.name())) != null) {
        ops.add(zookeeper.transactionOp().delete().forPath(znodes.deletion(drill.name())));
      }
      fenced(epoch, ops, "drill " + drill.name());
      awaitCached(drill.name(), seen -> seen.map(x -> x.yaml().equals(yaml)).orElse(false));
      log.info("[epoch={}] drill {} {} from {} by {}", epoch, drill.name(), current.isPresent() ? "updated" : "created",
          source, appliedBy);
      return new Applied(drill, current.isPresent() ? Outcome.UPDATED : Outcome.CREATED);
    } catch (DrillStoreException e) {
      throw e;
    } catch (Exception e) {
      throw unavailable("drill " + drill.name(), e);
    }
  }

  @Override
  public boolean delete(String name, String deletedBy, long epoch) throws DrillStoreException {
    String path = znodes.definition(name);
    try {
      Stat stat = zookeeper.checkExists().forPath(path);
      if (stat == null) {
        return false;
      }
      byte[] tombstone = json.writeValueAsBytes(Map.of("drill", name, "deletedBy", deletedBy,
          "deletedAt", clock.instant().toString(), "epoch", epoch));
      String deletion = znodes.deletion(name);
      List<CuratorOp> ops = new ArrayList<>();
      ops.add(zookeeper.transactionOp().delete().withVersion(stat.getVersion()).forPath(path));
      ops.add(zookeeper.checkExists().forPath(deletion) == null
          ? zookeeper.transactionOp().create().forPath(deletion, tombstone)
          : zookeeper.transactionOp().setData().forPath(deletion, tombstone));
      fenced(epoch, ops, "deleting drill " + name);
      awaitCached(name, Optional::isEmpty);
      log.info("[epoch={}] drill {} deleted by {}", epoch, name, deletedBy);
      return true;
    } catch (DrillStoreException e) {
      throw e;
    } catch (Exception e) {
      throw unavailable("deleting drill " + name, e);
    }
  }

  @Override
  public List<Seeded> seed(List<DrillCatalog.DrillFile> files, long epoch) throws DrillStoreException {
    List<Seeded> seeded = new ArrayList<>();
    for (DrillCatalog.DrillFile file : files) {
      String name = file.drill().name();
      try {
        Optional<StoredDrill> current = read(znodes.definition(name), new Stat());
        if (current.isPresent()) {
          seeded.add(new Seeded(file, current.get().yaml().equals(file.text()) ? "already stored"
              : "kept the stored one (applied by " + current.get().appliedBy() + " at " + current.get().appliedAt()
                  + "), which differs from the file: `dialtone drill apply -f " + file.file() + "` replaces it"));
        } else if (zookeeper.checkExists().forPath(znodes.deletion(name)) != null) {
          seeded.add(new Seeded(file, "deleted through the admin API; not seeded again (apply it to bring it back)"));
        } else {
          byte[] data = json.writeValueAsBytes(new StoredDrill(name, file.file().toString(), file.text(), "seed",
              clock.instant(), epoch));
          fenced(epoch, List.of(zookeeper.transactionOp().create().forPath(znodes.definition(name), data)), "seeding drill " + name);
          awaitCached(name, Optional::isPresent);
          seeded.add(new Seeded(file, "seeded"));
        }
      } catch (DrillStoreException e) {
        if (e.getCause() instanceof KeeperException.NodeExistsException) {
          seeded.add(new Seeded(file, "already stored")); // another replica seeded it meanwhile
        } else {
          throw e;
        }
      } catch (Exception e) {
        throw unavailable("seeding drill " + name, e);
      }
    }
    return seeded;
  }

  private Optional<StoredDrill> read(String path, Stat stat) throws Exception {
    try {
      return Optional.of(json.readValue(zookeeper.getData().storingStatIn(stat).forPath(path), StoredDrill.class));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    }
  }

  /** Runs {@code ops} in one transaction with a check that the deployment's epoch is not newer than {@code epoch}. */
  private void fenced(long epoch, List<CuratorOp> ops, String what) throws DrillStoreException {
    try {
      zookeeper.createContainers(znodes.definitions());
      zookeeper.createContainers(znodes.deletions());
      List<CuratorOp> all = new ArrayList<>();
      Stat epochStat = new Stat();
      try {
        long current = Long.parseLong(new String(zookeeper.getData().storingStatIn(epochStat).forPath(znodes.epoch()),
            StandardCharsets.US_ASCII).trim());
        if (current > epoch) {
          throw new DrillStoreException(what + " refused: epoch " + epoch + " is older than the current " + current, true, null);
        }
        all.add(zookeeper.transactionOp().check().withVersion(epochStat.getVersion()).forPath(znodes.epoch()));
      } catch (KeeperException.NoNodeException e) {
        // No control plane has led yet: nothing to fence against.
      }
      all.addAll(ops);
      zookeeper.transaction().forOperations(all);
    } catch (DrillStoreException e) {
      throw e;
    } catch (KeeperException.BadVersionException e) {
      throw new DrillStoreException(what + " not written: the epoch or the drill changed during the write; retry", false, e);
    } catch (KeeperException.NodeExistsException e) {
      throw new DrillStoreException(what + " not written: it was created meanwhile; retry", false, e);
    } catch (Exception e) {
      throw unavailable(what, e);
    }
  }

  private static DrillStoreException unavailable(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new DrillStoreException(what + ": ZooKeeper did not answer (" + e.getMessage() + ")", false, e);
  }

  @Override
  public void close() {
    cache.close();
  }
}
