package dev.dialtone.controlplane.statuspage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The page's data, re-read every {@code refresh} while at least one browser watches, with a new
 * version whenever it changed; watchers block in {@link #next} until then. Nothing is read while
 * nobody watches.
 */
final class SnapshotFeed implements AutoCloseable {
  /** One version of the page's data as sent: JSON on one line, with the time it was read. */
  record Snapshot(long version, String json) {}

  private final Supplier<ObjectNode> build;
  private final Duration refresh;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private ObjectNode data;
  private Snapshot latest;
  private Instant builtAt = Instant.EPOCH;
  private int watchers;
  private boolean closed;

  SnapshotFeed(Supplier<ObjectNode> build, Duration refresh, Clock clock, ScheduledExecutorService timer) {
    this.build = build;
    this.refresh = refresh;
    this.clock = clock;
    this.timer = timer;
    timer.scheduleWithFixedDelay(this::tick, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    synchronized (this) {
      if (watchers == 0 || closed) {
        return;
      }
    }
    refreshNow();
  }

  /** Reads the data now (on the caller's thread) and publishes it if it changed. */
  Snapshot refreshNow() {
    ObjectNode fresh = build.get(); // outside the lock: reads ZooKeeper
    Instant now = clock.instant();
    synchronized (this) {
      builtAt = now;
      if (latest == null || !fresh.equals(data)) {
        data = fresh;
        ObjectNode sent = fresh.deepCopy();
        sent.put("readAt", now.toString());
        latest = new Snapshot(latest == null ? 1 : latest.version() + 1, sent.toString());
        notifyAll();
      }
      return latest;
    }
  }

  /** Counts a watcher in; its first snapshot is fresh (read now if the last one is older than a refresh). */
  Snapshot watch() {
    synchronized (this) {
      watchers++;
    }
    return fresh();
  }

  /**
   * The latest snapshot, read again only if it is older than a refresh: however many requests
   * come, the admin reads behind them happen at most once a refresh.
   */
  Snapshot fresh() {
    boolean stale;
    synchronized (this) {
      stale = latest == null || Duration.between(builtAt, clock.instant()).compareTo(refresh) > 0;
    }
    return stale ? refreshNow() : current();
  }

  /** Counts a watcher out. */
  synchronized void unwatch() {
    watchers--;
  }

  synchronized Snapshot current() {
    return latest;
  }

  /**
   * The first snapshot newer than {@code version}, waiting at most {@code wait} for it; the same
   * one if none came (the caller sends a keep-alive), or {@code null} once the feed is closed.
   */
  synchronized Snapshot next(long version, Duration wait) throws InterruptedException {
    if (!closed && (latest == null || latest.version() <= version)) {
      wait(Math.max(1, wait.toMillis())); // woken by a new version; an early wake only means an early keep-alive
    }
    return closed ? null : latest;
  }

  synchronized int watchers() {
    return watchers;
  }

  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      notifyAll();
    }
    timer.shutdownNow();
  }
}
