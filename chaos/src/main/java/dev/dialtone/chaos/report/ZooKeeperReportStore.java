package dev.dialtone.chaos.report;

import dev.dialtone.chaos.zookeeper.DrillZnodes;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Reports as JSON znodes {@code drills/reports/<run id>}. ZooKeeper rather than a directory because
 * any replica (and a new leader) must list every run, whichever replica ran it; reports are kept
 * small (at most {@link DrillReport#MAX_EVENTS} events, well under ZooKeeper's 1 MB znode limit)
 * and only the newest {@code keep} are retained. Markdown and HTML are rendered from the JSON on
 * demand.
 */
public final class ZooKeeperReportStore implements ReportStore {
  /** Refuse anything close to ZooKeeper's default jute.maxbuffer (1 MB). */
  static final int MAX_BYTES = 512 * 1024;

  private final CuratorFramework zookeeper;
  private final DrillZnodes znodes;
  private final int keep;

  public ZooKeeperReportStore(CuratorFramework zookeeper, DrillZnodes znodes, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("reports.keep must be at least 1, not " + keep);
    }
    this.zookeeper = zookeeper;
    this.znodes = znodes;
    this.keep = keep;
  }

  @Override
  public void save(DrillReport report) throws IOException {
    byte[] json = JsonReport.bytes(report);
    if (json.length > MAX_BYTES) {
      throw new IOException("report " + report.runId() + " is " + json.length + " bytes, over the " + MAX_BYTES + " byte limit");
    }
    String path = znodes.report(report.runId());
    try {
      try {
        zookeeper.create().creatingParentContainersIfNeeded().forPath(path, json);
      } catch (KeeperException.NodeExistsException e) {
        zookeeper.setData().forPath(path, json); // a re-saved report replaces the old one
      }
      prune();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw failure("could not save report " + report.runId(), e);
    }
  }

  private void prune() throws Exception {
    List<Summary> all = list();
    for (Summary old : all.subList(Math.min(keep, all.size()), all.size())) {
      try {
        zookeeper.delete().forPath(znodes.report(old.runId()));
      } catch (KeeperException.NoNodeException e) {
        // Pruned by another replica.
      }
    }
  }

  @Override
  public Optional<DrillReport> get(String runId) throws IOException {
    try {
      return Optional.of(JsonReport.parse(zookeeper.getData().forPath(znodes.report(runId))));
    } catch (KeeperException.NoNodeException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw failure("could not read report " + runId, e);
    }
  }

  @Override
  public List<Summary> list() throws IOException {
    List<Summary> summaries = new ArrayList<>();
    try {
      List<String> runIds;
      try {
        runIds = zookeeper.getChildren().forPath(znodes.reports());
      } catch (KeeperException.NoNodeException e) {
        return List.of();
      }
      for (String runId : runIds) {
        get(runId).ifPresent(r -> summaries.add(new Summary(r.runId(), r.drill(), r.state().name(), r.startedAt())));
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw failure("could not list reports", e);
    }
    summaries.sort(Comparator.comparing(Summary::startedAt).reversed().thenComparing(Summary::runId));
    return summaries;
  }

  private static IOException failure(String what, Exception e) {
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new InterruptedIOException(what + ": interrupted");
    }
    return new IOException(what + ": " + e, e);
  }
}
