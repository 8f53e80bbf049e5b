package dev.dialtone.testkit.time;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A UTC clock, a monotonic ticker and a scheduled executor on one fake timeline that moves only in
 * {@link #advance}, which runs due tasks on the caller's thread (STYLE.md #2).
 *
 * <p>Tasks run in due-time order, same-time tasks in submission order, each with the clock set to
 * its due time; tasks may schedule more, and what they schedule runs in the same {@code advance} if
 * it falls due before its end. A task that throws ends {@code advance} with that exception, so a
 * test sees it. Safe to schedule from any thread; meant to be driven by one.
 */
public final class FakeClock extends Clock {
  private final Object lock = new Object();
  private final Instant origin;
  private final PriorityQueue<Task<?>> queue = new PriorityQueue<>();
  private final FakeScheduledExecutor executor = new FakeScheduledExecutor();
  /** Nanoseconds since {@link #origin}; only ever grows. */
  private long nanos;
  private long submissions;
  private boolean shutdown;

  /** A clock reading {@code start} until advanced. */
  public FakeClock(Instant start) {
    this.origin = Objects.requireNonNull(start, "start");
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** A view of this clock in another zone; it moves with this one. */
  @Override
  public Clock withZone(ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    return zone.equals(ZoneOffset.UTC) ? this : new ZonedView(zone);
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return origin.plusNanos(nanos);
    }
  }

  /** Monotonic nanoseconds on the fake timeline (0 at construction), for tickers: {@code clock::nanoTime}. */
  public long nanoTime() {
    synchronized (lock) {
      return nanos;
    }
  }

  /** An executor whose tasks fall due on this clock's time and run only inside {@link #advance}. */
  public ScheduledExecutorService executor() {
    return executor;
  }

  /** Moves time forward by {@code duration}, running every task that falls due on the way. */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("FakeClock cannot go back in time, asked to advance by " + duration);
    }
    long end;
    synchronized (lock) {
      end = plusSaturated(nanos, duration.toNanos());
    }
    while (true) {
      Task<?> next;
      synchronized (lock) {
        next = queue.peek();
        if (next == null || next.due > end) {
          nanos = Math.max(nanos, end);
          return;
        }
        queue.poll();
        nanos = Math.max(nanos, next.due);
      }
      next.run();
    }
  }

  /** Runs what is due now (including what that schedules for now) without moving time. */
  public void runDue() {
    advance(Duration.ZERO);
  }

  /** Tasks scheduled and not yet run, cancelled or (for periodic ones) stopped. */
  public int pendingTasks() {
    synchronized (lock) {
      return queue.size();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "FakeClock[now=" + origin.plusNanos(nanos) + ", pending=" + queue.size() + "]";
    }
  }

  private static long plusSaturated(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** {@code period}: 0 one-shot, &gt;0 fixed rate, &lt;0 fixed delay (as in ScheduledThreadPoolExecutor). */
  private <V> Task<V> enqueue(Callable<V> body, long delay, TimeUnit unit, long period) {
    Objects.requireNonNull(unit, "unit");
    synchronized (lock) {
      if (shutdown) {
        throw new RejectedExecutionException("the FakeClock executor is shut down");
      }
      Task<V> task = new Task<>(body, plusSaturated(nanos, Math.max(0, unit.toNanos(delay))), period, submissions++);
      queue.add(task);
      return task;
    }
  }

  private static Callable<Void> callable(Runnable command) {
    Objects.requireNonNull(command, "command");
    return () -> {
      command.run();
      return null;
    };
  }

  private final class Task<V> implements RunnableScheduledFuture<V> {
    private final Callable<V> body;
    private final long period;
    private final long order;
    private long due;
    private boolean cancelled;
    private boolean done;
    private V result;
    private Throwable failure;

    Task(Callable<V> body, long due, long period, long order) {
      this.body = body;
      this.due = due;
      this.period = period;
      this.order = order;
    }

    /** Runs once (the caller has taken it off the queue); a periodic task re-arms unless cancelled. */
    @Override
    public void run() {
      synchronized (lock) {
        if (cancelled || done) {
          return;
        }
      }
      V value;
      try {
        value = body.call();
      } catch (Throwable t) {
        synchronized (lock) {
          failure = t;
          done = true;
        }
        if (t instanceof RuntimeException e) {
          throw e;
        }
        if (t instanceof Error e) {
          throw e;
        }
        throw new IllegalStateException("a FakeClock task failed", t);
      }
      synchronized (lock) {
        if (period != 0 && !cancelled && !shutdown) {
          due = period > 0 ? plusSaturated(due, period) : plusSaturated(nanos, -period);
          queue.add(this);
        } else {
          result = value;
          done = true;
        }
      }
    }

    @Override
    public boolean isPeriodic() {
      return period != 0;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      synchronized (lock) {
        return unit.convert(due - nanos, TimeUnit.NANOSECONDS);
      }
    }

    @Override
    public int compareTo(Delayed other) {
      if (other == this) {
        return 0;
      }
      if (other instanceof Task<?> that) {
        int byTime = Long.compare(due, that.due);
        return byTime != 0 ? byTime : Long.compare(order, that.order);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      synchronized (lock) {
        if (cancelled || done) {
          return false;
        }
        cancelled = true;
        queue.remove(this);
        return true;
      }
    }

    @Override
    public boolean isCancelled() {
      synchronized (lock) {
        return cancelled;
      }
    }

    @Override
    public boolean isDone() {
      synchronized (lock) {
        return done || cancelled;
      }
    }

    /** The result if run; never blocks, since only {@link #advance} can run it. */
    @Override
    public V get() throws ExecutionException {
      synchronized (lock) {
        if (cancelled) {
          throw new CancellationException("the task was cancelled");
        }
        if (failure != null) {
          throw new ExecutionException(failure);
        }
        if (!done) {
          throw new IllegalStateException("the task has not run yet; advance the FakeClock to its due time");
        }
        return result;
      }
    }

    @Override
    public V get(long timeout, TimeUnit unit) throws ExecutionException {
      return get();
    }
  }

  /** Shutdown follows ScheduledThreadPoolExecutor's defaults: periodic tasks stop, delayed ones still run. */
  private final class FakeScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {
    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      return enqueue(callable(command), delay, unit, 0);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
      return enqueue(Objects.requireNonNull(callable, "callable"), delay, unit, 0);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
      if (period <= 0) {
        throw new IllegalArgumentException("period must be positive, not " + period + " " + unit);
      }
      return enqueue(callable(command), initialDelay, unit, unit.toNanos(period));
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
      if (delay <= 0) {
        throw new IllegalArgumentException("delay must be positive, not " + delay + " " + unit);
      }
      return enqueue(callable(command), initialDelay, unit, -unit.toNanos(delay));
    }

    /** Due now: runs at the next {@link #advance} or {@link #runDue}. */
    @Override
    public void execute(Runnable command) {
      enqueue(callable(command), 0, TimeUnit.NANOSECONDS, 0);
    }

    @Override
    public void shutdown() {
      synchronized (lock) {
        shutdown = true;
        List<Task<?>> periodic = queue.stream().filter(Task::isPeriodic).toList();
        periodic.forEach(t -> t.cancel(false));
      }
    }

    @Override
    public List<Runnable> shutdownNow() {
      synchronized (lock) {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>();
        while (!queue.isEmpty()) {
          pending.add(queue.poll());
        }
        return pending;
      }
    }

    @Override
    public boolean isShutdown() {
      synchronized (lock) {
        return shutdown;
      }
    }

    @Override
    public boolean isTerminated() {
      synchronized (lock) {
        return shutdown && queue.isEmpty();
      }
    }

    /** Never waits: fake time moves only in {@link #advance}, so waiting could not help. */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return isTerminated();
    }
  }

  private final class ZonedView extends Clock {
    private final ZoneId zone;

    ZonedView(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
      return FakeClock.this.withZone(other);
    }

    @Override
    public Instant instant() {
      return FakeClock.this.instant();
    }
  }
}
