package dev.dialtone.controlplane.leadership;

import dev.dialtone.controlplane.state.DeploymentPaths;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.CancelLeadershipException;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.framework.state.ConnectionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership through Curator's {@link LeaderSelector}, made authoritative by an epoch taken by
 * compare-and-set at the start of each term. On a connection state that the client's
 * {@code ConnectionStateErrorPolicy} calls an error (SUSPENDED and LOST with the standard policy,
 * LOST only with the session policy) the term ends at once: {@link #isLeaderAt} turns false before
 * the leadership thread is even interrupted. Closing hands leadership over immediately.
 */
public final class CuratorLeadership implements LeaderGuard, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CuratorLeadership.class);

  private final CuratorFramework client;
  private final String replicaId;
  private final LeadershipListener listener;
  private final EpochCounter epochs;
  private final LeaderSelector selector;
  private final CopyOnWriteArrayList<Consumer<Optional<EpochCounter.Term>>> termListeners = new CopyOnWriteArrayList<>();
  private volatile EpochCounter.Term term;
  private volatile boolean closed;
  private volatile boolean started;
  // Counts error connection states; a term starts only if none arrived while its epoch was taken.
  private final Object termLock = new Object();
  private long errorStates;
  private volatile Runnable afterEpochTaken = () -> {};

  public CuratorLeadership(
      CuratorFramework client, DeploymentPaths paths, String replicaId, LeadershipListener listener) {
    this.client = client;
    this.replicaId = replicaId;
    this.listener = listener;
    this.epochs = new EpochCounter(client, paths.epoch());
    this.selector = new LeaderSelector(client, paths.leader(), new SelectorListener());
    selector.setId(replicaId);
    selector.autoRequeue();
  }

  /** Joins the election; the client must be started. */
  public void start() {
    if (!client.getConnectionStateErrorPolicy().isErrorState(ConnectionState.SUSPENDED)) {
      log.warn("[replica={}] zookeeper.stopOn is LOST: a SUSPENDED leader keeps acting until its session is"
          + " lost, so a partitioned old leader and a new one may both act for up to the session timeout;"
          + " only the epoch fence (actuators and state writes check the epoch znode) guards that window."
          + " Use stopOn: SUSPENDED to stop at the first sign of trouble", replicaId);
    }
    try {
      if (client.getZookeeperClient().blockUntilConnectedOrTimedOut()) {
        log.info(
            "[replica={}] ZooKeeper session timeout negotiated: {} ms (error policy {})",
            replicaId,
            client.getZookeeperClient().getZooKeeper().getSessionTimeout(),
            client.getConnectionStateErrorPolicy().getClass().getSimpleName());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception e) {
      log.warn("[replica={}] could not read the negotiated session timeout: {}", replicaId, e.toString());
    }
    started = true;
    selector.start();
  }

  public String replicaId() {
    return replicaId;
  }

  @Override
  public boolean isLeaderAt(long epoch) {
    EpochCounter.Term t = term;
    return t != null && t.epoch() == epoch;
  }

  /** The current term when this replica leads. */
  public Optional<EpochCounter.Term> term() {
    return Optional.ofNullable(term);
  }

  /** The leader's replica id as ZooKeeper shows it, or empty if none or unreadable. */
  public String leaderId() {
    if (term != null) {
      return replicaId;
    }
    try {
      Participant leader = selector.getLeader();
      return leader.isLeader() ? leader.getId() : "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    } catch (Exception e) {
      return "";
    }
  }

  /** Whether the client is connected to ZooKeeper now. */
  public boolean connected() {
    return client.getZookeeperClient().isConnected();
  }

  /** The newest epoch in ZooKeeper, or 0 if it cannot be read. */
  public long currentEpoch() {
    EpochCounter.Term t = term;
    if (t != null) {
      return t.epoch();
    }
    try {
      return epochs.current();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } catch (Exception e) {
      return 0;
    }
  }

  /** Called with the new term on gain and empty on loss. */
  public void addTermListener(Consumer<Optional<EpochCounter.Term>> termListener) {
    termListeners.add(termListener);
  }

  /** Gives leadership up now (e.g. after an actuator fenced us); the election is re-joined. */
  public void relinquish() {
    if (term != null) {
      log.warn("[replica={} epoch={}] relinquishing leadership", replicaId, term.epoch());
    }
    term = null;
    selector.interruptLeadership();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    term = null;
    if (started) { // a replica refused before it joined the election has nothing to hand over
      selector.close();
    }
  }

  /** Test seam: runs on the leadership thread after an epoch is taken and before its term starts. */
  void afterEpochTaken(Runnable hook) {
    this.afterEpochTaken = hook;
  }

  private void notifyTerm(Optional<EpochCounter.Term> t) {
    for (Consumer<Optional<EpochCounter.Term>> l : termListeners) {
      try {
        l.accept(t);
      } catch (RuntimeException e) {
        log.warn("[replica={}] term listener failed: {}", replicaId, e.toString());
      }
    }
  }

  private final class SelectorListener implements LeaderSelectorListener {
    @Override
    public void takeLeadership(CuratorFramework c) throws Exception {
      if (closed) {
        return;
      }
      long errorsBefore;
      synchronized (termLock) {
        errorsBefore = errorStates;
      }
      EpochCounter.Term t = epochs.next();
      afterEpochTaken.run();
      synchronized (termLock) {
        // A SUSPENDED/LOST between our read and here may already have been handled (term cleared)
        // before we set it: this epoch was taken across it, so no term starts at it.
        if (errorStates != errorsBefore || closed) {
          log.warn("[replica={} epoch={}] connection error while taking the epoch: no term at this epoch",
              replicaId, t.epoch());
          return;
        }
        term = t;
      }
      log.info("[replica={} epoch={}] leadership gained", replicaId, t.epoch());
      try {
        notifyTerm(Optional.of(t));
        listener.onGained(t.epoch());
        while (term == t && !Thread.currentThread().isInterrupted()) {
          synchronized (this) {
            wait(1_000); // woken by interruption; the loop re-checks the term
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        term = null;
        log.info("[replica={} epoch={}] leadership lost", replicaId, t.epoch());
        try {
          listener.onLost();
        } finally {
          notifyTerm(Optional.empty());
        }
      }
    }

    @Override
    public void stateChanged(CuratorFramework c, ConnectionState newState) {
      log.info("[replica={}] ZooKeeper connection {}", replicaId, newState);
      if (c.getConnectionStateErrorPolicy().isErrorState(newState)) {
        EpochCounter.Term t;
        synchronized (termLock) {
          errorStates++;
          t = term;
          term = null; // stop acting before anything else happens
        }
        if (t != null) {
          log.warn("[replica={} epoch={}] connection {}: stopping all side effects", replicaId, t.epoch(), newState);
        }
        throw new CancelLeadershipException();
      }
    }
  }
}
