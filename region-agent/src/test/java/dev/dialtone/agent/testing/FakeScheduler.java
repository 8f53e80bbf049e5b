package dev.dialtone.agent.testing;

import dev.dialtone.agent.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduled executor, clock and ticker on one fake timeline: nothing runs until {@link
 * #advance(Duration)}, which runs every task that falls due, in time order, on the caller's thread.
 */
public final class FakeScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final Instant epoch;
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private long now;
  private long sequence;

  public FakeScheduler(Instant epoch) {
    this.epoch = epoch;
  }

  /** Nanoseconds since the epoch on the fake timeline. */
  public Ticker ticker() {
    return () -> now;
  }

  /** A clock reading the fake timeline. */
  public Clock clock() {
    return new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return epoch.plusNanos(now);
      }
    };
  }

  /** Moves time forward by {@code d}, running what falls due, including tasks they schedule. */
  public void advance(Duration d) {
    long target = now + d.toNanos();
    while (!queue.isEmpty() && queue.peek().at <= target) {
      Task task = queue.poll();
      now = task.at;
      if (task.cancelled) {
        continue;
      }
      task.command.run();
      if (task.period > 0 && !task.cancelled) {
        task.at += task.period;
        queue.add(task);
      } else {
        task.done = true;
      }
    }
    now = target;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(command, unit.toNanos(delay), 0);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    Runnable command = () -> {
      try {
        callable.call();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
    return (ScheduledFuture<V>) add(command, unit.toNanos(delay), 0);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(command, unit.toNanos(initialDelay), unit.toNanos(period));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(command, unit.toNanos(initialDelay), unit.toNanos(delay));
  }

  @Override
  public void execute(Runnable command) {
    add(command, 0, 0);
  }

  private Task add(Runnable command, long delay, long period) {
    Task task = new Task(command, now + Math.max(0, delay), period, sequence++);
    queue.add(task);
    return task;
  }

  @Override
  public void shutdown() {
    queue.clear();
  }

  @Override
  public List<Runnable> shutdownNow() {
    queue.clear();
    return List.of();
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return true;
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable command;
    final long period;
    final long order;
    long at;
    volatile boolean cancelled;
    volatile boolean done;

    Task(Runnable command, long at, long period, long order) {
      this.command = command;
      this.at = at;
      this.period = period;
      this.order = order;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(at - now, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      Task o = (Task) other;
      return at != o.at ? Long.compare(at, o.at) : Long.compare(order, o.order);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return !done;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return done || cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("a fake task has no result");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("a fake task has no result");
    }
  }

}
