package dev.dialtone.notify;

import dev.dialtone.actuation.Sleeper;
import dev.dialtone.config.Backoff;
import dev.dialtone.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends events to receivers without ever holding up the caller: each receiver has its own bounded
 * queue and worker thread, so a receiver that is down delays only its own backlog. A worker keeps
 * retrying the event at the head of its queue (the project's {@link Backoff}, through an injected
 * {@link Sleeper}) while the failure is transient, for at most {@link Settings#giveUpAfter()} or
 * {@link Settings#maxAttempts()}; then, or on a permanent refusal, or when the queue is full at
 * {@link #offer}, the event is reported undeliverable to its {@link Listener} (and counted).
 * Events behind a retried one wait their turn, so a receiver that comes back gets its backlog in order.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  /**
   * @param queueCapacity events waiting per receiver, at most
   * @param backoff the waits between attempts
   * @param giveUpAfter how long one event is retried before it is reported undeliverable
   * @param maxAttempts how many attempts one event gets at most (0: bounded by time only)
   */
  public record Settings(int queueCapacity, Backoff backoff, Duration giveUpAfter, int maxAttempts) {
    public Settings {
      if (queueCapacity < 1) {
        throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
      }
      if (backoff == null || giveUpAfter == null || giveUpAfter.isNegative() || maxAttempts < 0) {
        throw new IllegalArgumentException("dispatcher settings need a backoff, giveUpAfter >= 0 and maxAttempts >= 0");
      }
    }
  }

  /** Told each event's outcome at each receiver (on the receiver's worker, or the caller's thread when refused at once). */
  public interface Listener {
    /** {@code receiver} took {@code n} at attempt {@code attempts}. */
    void delivered(String receiver, Notification n, int attempts);

    /** {@code receiver} did not take {@code n} and will not be asked again by this dispatcher. */
    void undeliverable(String receiver, Notification n, String why);

    /** Does nothing. */
    Listener NONE = new Listener() {
      @Override
      public void delivered(String receiver, Notification n, int attempts) {}

      @Override
      public void undeliverable(String receiver, Notification n, String why) {}
    };
  }

  /** What happened at one receiver so far. */
  public record Counts(long delivered, long retries, long undeliverable, long abandoned, int queued) {}

  private record Job(Notification n, BooleanSupplier wanted, Listener listener) {}

  private final Map<String, Worker> workers = new LinkedHashMap<>();
  private final Settings settings;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  /** Starts one worker thread per receiver. */
  public Dispatcher(List<Receiver> receivers, Settings settings, Clock clock, Sleeper sleeper, RandomGenerator random) {
    this.settings = settings;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    for (Receiver r : receivers) {
      if (workers.put(r.name(), new Worker(r)) != null) {
        throw new IllegalArgumentException("receiver " + r.name() + " is configured twice");
      }
    }
    workers.values().forEach(w -> w.thread.start());
  }

  /** The receivers whose routes take {@code n}, in configuration order. */
  public List<String> receiversFor(Notification n) {
    List<String> names = new ArrayList<>();
    workers.values().forEach(w -> {
      if (w.receiver.route().accepts(n)) {
        names.add(w.receiver.name());
      }
    });
    return names;
  }

  /** Every receiver's name, in configuration order. */
  public List<String> receivers() {
    return List.copyOf(workers.keySet());
  }

  /**
   * Queues {@code n} for {@code receiver} without blocking; while {@code wanted} says false (e.g.
   * this replica no longer leads) the event is dropped unsent. A full queue reports the event
   * undeliverable at once and returns false.
   */
  public boolean offer(String receiver, Notification n, BooleanSupplier wanted, Listener listener) {
    Worker w = workers.get(receiver);
    if (w == null) {
      throw new IllegalArgumentException("no receiver named " + receiver);
    }
    if (w.queue.offer(new Job(n, wanted, listener))) {
      return true;
    }
    w.undeliverable.incrementAndGet();
    log.warn("[receiver={} event={}] ALERT notification not queued: {} events already wait for this receiver",
        receiver, n.id(), settings.queueCapacity());
    tell(() -> listener.undeliverable(receiver, n, "queue full (" + settings.queueCapacity() + " events waiting)"));
    return false;
  }

  /** Queues {@code n} for every receiver whose route takes it; returns those it was queued for. */
  public List<String> offer(Notification n, BooleanSupplier wanted, Listener listener) {
    List<String> queued = new ArrayList<>();
    for (String name : receiversFor(n)) {
      if (offer(name, n, wanted, listener)) {
        queued.add(name);
      }
    }
    return queued;
  }

  /** {@code receiver}'s counts. */
  public Counts counts(String receiver) {
    Worker w = workers.get(receiver);
    if (w == null) {
      throw new IllegalArgumentException("no receiver named " + receiver);
    }
    return new Counts(w.delivered.get(), w.retries.get(), w.undeliverable.get(), w.abandoned.get(), w.queue.size());
  }

  /** Stops every worker; what is still queued is dropped (its source keeps it, e.g. the leader's outbox). */
  @Override
  public void close() {
    workers.values().forEach(w -> w.thread.interrupt());
    for (Worker w : workers.values()) {
      try {
        w.thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      log.error("notification listener failed", e);
    }
  }

  private final class Worker implements Runnable {
    final Receiver receiver;
    final BlockingQueue<Job> queue;
    final Thread thread;
    final AtomicLong delivered = new AtomicLong();
    final AtomicLong retries = new AtomicLong();
    final AtomicLong undeliverable = new AtomicLong();
    final AtomicLong abandoned = new AtomicLong();

    Worker(Receiver receiver) {
      this.receiver = receiver;
      this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
      this.thread = new Thread(this, "notify-" + receiver.name());
      thread.setDaemon(true);
    }

    @Override
    public void run() {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          deliver(queue.take());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // closing
      }
    }

    private void deliver(Job job) throws InterruptedException {
      Notification n = job.n();
      String name = receiver.name();
      Instant first = clock.instant();
      for (int attempt = 1; ; attempt++) {
        if (!job.wanted().getAsBoolean()) {
          abandoned.incrementAndGet();
          log.info("[receiver={} event={}] not sent: no longer wanted here (its source keeps it)", name, n.id());
          return;
        }
        try {
          receiver.provider().send(n);
          delivered.incrementAndGet();
          log.info("[receiver={} event={}] delivered {} ({}) at attempt {}", name, n.id(), n.kind().wireName(),
              receiver.provider().type(), attempt);
          int attempts = attempt;
          tell(() -> job.listener().delivered(name, n, attempts));
          return;
        } catch (DeliveryException e) {
          Duration spent = Duration.between(first, clock.instant());
          boolean spentAll = (settings.maxAttempts() > 0 && attempt >= settings.maxAttempts())
              || spent.compareTo(settings.giveUpAfter()) >= 0;
          if (!e.transientFailure() || spentAll) {
            String why = (e.transientFailure() ? "gave up after " + attempt + " attempts over " + Durations.format(spent)
                : "refused") + ": " + e.getMessage();
            giveUp(job, why);
            return;
          }
          retries.incrementAndGet();
          Duration wait = settings.backoff().delay(attempt, random);
          log.warn("[receiver={} event={}] attempt {} failed, retrying in {}: {}", name, n.id(), attempt,
              Durations.format(wait), e.getMessage());
          sleeper.sleep(wait);
        } catch (RuntimeException e) {
          // A provider bug is not the receiver being down: report it instead of retrying forever.
          giveUp(job, "provider failed: " + e);
          return;
        }
      }
    }

    private void giveUp(Job job, String why) {
      undeliverable.incrementAndGet();
      log.error("[receiver={} event={}] ALERT notification undeliverable: {}", receiver.name(), job.n().id(), why);
      tell(() -> job.listener().undeliverable(receiver.name(), job.n(), why));
    }
  }
}
