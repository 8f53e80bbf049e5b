package dev.dialtone.chaos.gameday;

import dev.dialtone.chaos.fault.FaultException;
import dev.dialtone.chaos.fault.OrphanToxicCleaner;
import dev.dialtone.chaos.fault.ToxicRecord;
import dev.dialtone.chaos.schedule.LeadershipGate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link OrphanToxicCleaner} on the leader only, every {@code interval}: a dead leader's
 * live-run marker disappears only when its session expires, so one sweep at leadership gain is not
 * enough. The control plane may also call {@link #sweepNow()} when it gains leadership.
 */
public final class OrphanSweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);

  /** The cleaning step ({@link OrphanToxicCleaner#clean()}). */
  @FunctionalInterface
  public interface Sweep {
    List<ToxicRecord> clean() throws FaultException;
  }

  private final LeadershipGate gate;
  private final Sweep sweep;
  private final Duration interval;
  private final ScheduledExecutorService executor;
  private ScheduledFuture<?> sweeping;

  public OrphanSweeper(LeadershipGate gate, Sweep sweep, Duration interval, ScheduledExecutorService executor) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("orphanSweep.interval must be positive, not " + interval);
    }
    this.gate = gate;
    this.sweep = sweep;
    this.interval = interval;
    this.executor = executor;
  }

  public synchronized void start() {
    if (sweeping == null) {
      sweeping = executor.scheduleWithFixedDelay(this::sweepNow, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** One sweep if this replica leads; returns what it healed. Never throws. */
  public List<ToxicRecord> sweepNow() {
    if (!gate.isLeader()) {
      return List.of();
    }
    try {
      return sweep.clean();
    } catch (FaultException e) {
      log.warn("[epoch={}] orphan sweep failed ({}), retrying in {}: {}", gate.epoch(), e.failure(), interval, e.getMessage());
    } catch (RuntimeException e) {
      // Keep sweeping: a bad record must not stop the healing of the others next time.
      log.error("[epoch={}] orphan sweep failed", gate.epoch(), e);
    }
    return List.of();
  }

  @Override
  public synchronized void close() {
    if (sweeping != null) {
      sweeping.cancel(false);
      sweeping = null;
    }
  }
}
