package dev.dialtone.chaos.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A clock and a scheduled executor on the same fake time (STYLE.md #2): tasks run only inside
 * {@link #advance}, in time order, with the clock set to each task's due time. Single-threaded.
 */
public final class FakeClock extends Clock {
  private final PriorityQueue<Task> queue = new PriorityQueue<>();
  private Instant now;
  private long sequence;
  private final Executor executor = new Executor();

  public FakeClock(Instant start) {
    this.now = start;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("FakeClock is UTC only");
  }

  @Override
  public synchronized Instant instant() {
    return now;
  }

  public ScheduledExecutorService executor() {
    return executor;
  }

  /** Moves time forward by {@code duration}, running every task that falls due on the way. */
  public void advance(Duration duration) {
    Instant end;
    synchronized (this) {
      end = now.plus(duration);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due.isAfter(end)) {
          now = end;
          return;
        }
        queue.poll();
        if (next.due.isAfter(now)) {
          now = next.due;
        }
      }
      next.run();
    }
  }

  /** Runs what is due now without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  public synchronized int pendingTasks() {
    return (int) queue.stream().filter(t -> !t.cancelled).count();
  }

  private synchronized Task enqueue(Runnable body, Duration delay, Duration period) {
    Task task = new Task(body, now.plus(delay), period, sequence++);
    queue.add(task);
    return task;
  }

  private final class Task implements ScheduledFuture<Object> {
    final Runnable body;
    final Duration period;
    final long order;
    Instant due;
    boolean cancelled;
    boolean done;

    Task(Runnable body, Instant due, Duration period, long order) {
      this.body = body;
      this.due = due;
      this.period = period;
      this.order = order;
    }

    void run() {
      if (cancelled) {
        return;
      }
      body.run();
      if (period != null && !cancelled) {
        synchronized (FakeClock.this) {
          due = now.plus(period);
          queue.add(this);
        }
      } else {
        done = true;
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(Duration.between(instant(), due));
    }

    @Override
    public int compareTo(Delayed other) {
      Task that = (Task) other;
      int byTime = due.compareTo(that.due);
      return byTime != 0 ? byTime : Long.compare(order, that.order);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      synchronized (FakeClock.this) {
        queue.remove(this);
      }
      return true;
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
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }

  private final class Executor extends AbstractExecutorService implements ScheduledExecutorService {
    private boolean shutdown;

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return enqueue(command, Duration.of(delay, unit.toChronoUnit()), null);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      throw new UnsupportedOperationException("FakeClock schedules Runnables only");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      return enqueue(command, Duration.of(initialDelay, unit.toChronoUnit()), Duration.of(period, unit.toChronoUnit()));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      return scheduleAtFixedRate(command, initialDelay, delay, unit);
    }

    @Override
    public void execute(Runnable command) {
      enqueue(command, Duration.ZERO, null);
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      synchronized (FakeClock.this) {
        List<Runnable> pending = new ArrayList<>();
        queue.forEach(t -> pending.add(t.body));
        queue.clear();
        return pending;
      }
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }
}
