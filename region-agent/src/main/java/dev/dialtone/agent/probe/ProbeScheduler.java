package dev.dialtone.agent.probe;

import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every probe on its own interval. Each attempt runs on the {@code attempts} executor while
 * the agent arms its own deadline on {@code timer}: whichever comes first wins, so a hung driver
 * is abandoned at its timeout and never delays other probes. At most one attempt per probe is in
 * flight; while one is still hung, later rounds record DOWN(timeout) without starting another, so
 * a stuck dependency costs one thread, not one per round. A failure that hysteresis has not yet
 * confirmed is re-probed at once (after the attempt in flight ends), so a dead dependency is DOWN
 * within about one interval plus {@code failAfter} attempts, not {@code failAfter} intervals.
 */
public final class ProbeScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ProbeScheduler.class);

  /** Receives every finished attempt with the probe's new state. */
  @FunctionalInterface
  public interface Listener {
    /** Called once per attempt; {@code verdictChanged} is true when hysteresis moved the verdict. */
    void onResult(ProbeState state, boolean verdictChanged);
  }

  private final List<Slot> slots = new ArrayList<>();
  private final String region;
  private final ScheduledExecutorService timer;
  private final Executor attempts;
  private final Clock clock;
  private final Ticker ticker;
  private final Listener listener;
  private final List<ScheduledFuture<?>> rounds = new ArrayList<>();
  private final Duration warmUp;
  private boolean stopped;

  /** {@code region} only labels log lines. */
  public ProbeScheduler(
      String region,
      List<ScheduledProbe> probes,
      ScheduledExecutorService timer,
      Executor attempts,
      Clock clock,
      Ticker ticker,
      Listener listener) {
    this(region, probes, timer, attempts, clock, ticker, listener, Duration.ZERO);
  }

  /**
   * @param warmUp at most this long, before the first round, each probe runs once with results
   *     discarded: a fresh JVM's first connection (class loading, TLS, connection pools) must not
   *     count as a failed dependency; {@link Duration#ZERO} skips the warm-up
   */
  public ProbeScheduler(
      String region,
      List<ScheduledProbe> probes,
      ScheduledExecutorService timer,
      Executor attempts,
      Clock clock,
      Ticker ticker,
      Listener listener,
      Duration warmUp) {
    this.warmUp = warmUp;
    for (ScheduledProbe p : probes) {
      slots.add(new Slot(p.spec(), p.probe()));
    }
    this.region = region;
    this.timer = timer;
    this.attempts = attempts;
    this.clock = clock;
    this.ticker = ticker;
    this.listener = listener;
  }

  /** A probe with how to run it. */
  public record ScheduledProbe(ProbeSpec spec, Probe probe) {}

  /** Starts every probe's rounds: now, or after the warm-up. */
  public synchronized void start() {
    if (warmUp.isZero()) {
      startRounds();
      return;
    }
    List<CompletableFuture<Void>> warming = new ArrayList<>();
    for (Slot slot : slots) {
      warming.add(CompletableFuture.runAsync(() -> warm(slot), attempts));
    }
    ScheduledFuture<?> giveUp = timer.schedule(this::startRounds, warmUp.toNanos(), TimeUnit.NANOSECONDS);
    CompletableFuture.allOf(warming.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
      giveUp.cancel(false);
      startRounds();
    });
  }

  private void warm(Slot slot) {
    try {
      ProbeResult r = slot.probe.attempt(warmUp);
      log.info("[region={}] probe {}: warm-up attempt {} (not counted)", region, slot.spec.name(),
          r == null ? "returned nothing" : r.status());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      log.info("[region={}] probe {}: warm-up attempt failed (not counted): {}", region, slot.spec.name(), e.toString());
    }
  }

  private synchronized void startRounds() {
    if (!rounds.isEmpty() || stopped) {
      return; // the warm-up's deadline and its end both start the rounds: once
    }
    for (Slot slot : slots) {
      long period = slot.spec.interval().toNanos();
      rounds.add(timer.scheduleAtFixedRate(() -> round(slot), 0, period, TimeUnit.NANOSECONDS));
    }
  }

  /** Runs one round of every probe at once (e.g. on a control-plane ProbeNow directive). */
  public void runAllNow() {
    for (Slot slot : slots) {
      timer.execute(() -> round(slot));
    }
  }

  /** The current state of every probe, in configuration order. */
  public List<ProbeState> snapshot() {
    List<ProbeState> states = new ArrayList<>(slots.size());
    for (Slot slot : slots) {
      synchronized (slot) {
        states.add(slot.state);
      }
    }
    return states;
  }

  private void round(Slot slot) {
    try {
      attempt(slot);
    } catch (RuntimeException e) {
      // A round must never kill its periodic task.
      log.error("[region={}] probe {}: round failed", region, slot.spec.name(), e);
    }
  }

  private void attempt(Slot slot) {
    Duration timeout = slot.spec.timeout();
    boolean stillRunning;
    synchronized (slot) {
      stillRunning = slot.inFlight;
      slot.inFlight = true;
    }
    if (stillRunning) {
      // Recorded outside the slot's lock: the listener may take a snapshot of every slot.
      record(slot, ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT,
              "previous attempt still running after the " + timeout + " timeout")
          .withLatency(timeout));
      return;
    }
    long start = ticker.nanos();
    CompletableFuture<ProbeResult> outcome = new CompletableFuture<>();
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> outcome.complete(
                ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "no answer within " + timeout)
                    .withLatency(timeout)),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      attempts.execute(() -> runAttempt(slot, outcome));
    } catch (RejectedExecutionException e) {
      synchronized (slot) {
        slot.inFlight = false;
      }
      outcome.complete(ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "agent shutting down"));
    }
    outcome.thenAccept(
        result -> {
          deadline.cancel(false);
          Duration elapsed = Duration.ofNanos(ticker.nanos() - start);
          record(slot, result.latency() == null ? result.withLatency(elapsed) : result);
        });
  }

  private void runAttempt(Slot slot, CompletableFuture<ProbeResult> outcome) {
    try {
      ProbeResult result = slot.probe.attempt(slot.spec.timeout());
      outcome.complete(result == null ? ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "probe returned nothing") : result);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      outcome.complete(ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "interrupted"));
    } catch (Throwable e) {
      // Probes never throw to their callers: anything unexpected is a DOWN with its cause.
      outcome.complete(ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, e.toString()));
    } finally {
      boolean confirm;
      synchronized (slot) {
        slot.inFlight = false;
        confirm = slot.confirmWanted;
        slot.confirmWanted = false;
      }
      if (confirm) {
        confirmNow(slot);
      }
    }
  }

  /**
   * A fresh attempt at once instead of at the next round (HAProxy's {@code fastinter}): a real
   * failure is confirmed in one probe's time, not {@code failAfter} intervals. Bounded: only while
   * a failure is counting toward {@code failAfter}.
   */
  private void confirmNow(Slot slot) {
    try {
      timer.execute(() -> round(slot));
    } catch (RejectedExecutionException e) {
      // shutting down
    }
  }

  private void record(Slot slot, ProbeResult raw) {
    Instant now = clock.instant();
    ProbeResult result = raw.stamped(now, Duration.ZERO);
    if (result.status() == HealthStatus.HEALTH_STATUS_UP
        && slot.spec.degradedAbove() != null
        && result.latency().compareTo(slot.spec.degradedAbove()) > 0) {
      result =
          new ProbeResult(HealthStatus.HEALTH_STATUS_DEGRADED, FailureCause.FAILURE_CAUSE_SLOW,
              "latency " + result.latency().toMillis() + " ms above " + slot.spec.degradedAbove().toMillis() + " ms",
              result.latency(), now, result.details());
    }
    ProbeState state;
    boolean changed;
    boolean confirm;
    synchronized (slot) {
      HealthStatus before = slot.hysteresis.verdict();
      HealthStatus verdict = slot.hysteresis.apply(result.status());
      changed = verdict != before;
      boolean available = verdict == HealthStatus.HEALTH_STATUS_UP || verdict == HealthStatus.HEALTH_STATUS_DEGRADED;
      Instant lastAvailable = available ? now : slot.state.lastAvailableAt();
      state = new ProbeState(slot.spec, verdict, result, slot.hysteresis.consecutive(), lastAvailable);
      slot.state = state;
      confirm = result.status() == HealthStatus.HEALTH_STATUS_DOWN && verdict != HealthStatus.HEALTH_STATUS_DOWN;
      // With an attempt still in flight (a deadline answered for it) the confirmation waits for it to end.
      slot.confirmWanted = confirm && slot.inFlight;
      confirm = confirm && !slot.inFlight;
    }
    if (confirm) {
      confirmNow(slot);
    }
    if (changed) {
      log.info("[region={}] probe {}: {} ({} {})", region, slot.spec.name(), state.verdict(), result.cause(), result.errorText());
    }
    listener.onResult(state, changed);
  }

  /** Stops scheduling rounds and closes every probe. */
  @Override
  public synchronized void close() {
    stopped = true;
    rounds.forEach(r -> r.cancel(false));
    for (Slot slot : slots) {
      try {
        slot.probe.close();
      } catch (RuntimeException e) {
        log.warn("[region={}] probe {}: close failed: {}", region, slot.spec.name(), e.toString());
      }
    }
  }

  private static final class Slot {
    final ProbeSpec spec;
    final Probe probe;
    final Hysteresis hysteresis;
    ProbeState state;
    boolean inFlight;
    /** A failure not yet confirmed by hysteresis: re-probe as soon as the attempt in flight ends. */
    boolean confirmWanted;

    Slot(ProbeSpec spec, Probe probe) {
      this.spec = spec;
      this.probe = probe;
      this.hysteresis = new Hysteresis(spec.failAfter(), spec.recoverAfter());
      this.state = ProbeState.initial(spec);
    }
  }
}
