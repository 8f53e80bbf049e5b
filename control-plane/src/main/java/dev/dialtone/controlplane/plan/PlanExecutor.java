package dev.dialtone.controlplane.plan;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.controlplane.leadership.LeaderGuard;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.StaleEpochException;
import dev.dialtone.controlplane.state.StateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan's steps in order against the actuators, persisting the plan before it starts and
 * after every step, and appending every step's outcome to the history. Each step is guarded by
 * "still leader at epoch N"; transient failures are retried with exponential backoff and full
 * jitter within the step's budget; a fenced refusal (from an actuator or from the epoch-checked
 * state writes) is never retried: the plan is marked FENCED and leadership is relinquished; a
 * permanent failure or an exhausted budget marks the plan FAILED (resumable) and alerts.
 */
public final class PlanExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlanExecutor.class);

  private final List<TrafficActuator> actuators;
  private final PlanJournal journal;
  private final LeaderGuard guard;
  private final RetryBudget budget;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final Runnable onFenced;
  private final StepHook hook;
  private final BiConsumer<String, Duration> stepTimer;
  private final List<PlanListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ExecutorService attempts = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "plan-step");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param onFenced called once when a step is fenced (the replica relinquishes leadership)
   * @param stepTimer told each step's name and duration, for metrics
   */
  public PlanExecutor(
      List<TrafficActuator> actuators, PlanJournal journal, LeaderGuard guard, RetryBudget budget, Clock clock,
      Sleeper sleeper, RandomGenerator random, Runnable onFenced, StepHook hook, BiConsumer<String, Duration> stepTimer) {
    this.actuators = ordered(actuators);
    this.journal = journal;
    this.guard = guard;
    this.budget = budget;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.onFenced = onFenced;
    this.hook = hook;
    this.stepTimer = stepTimer;
  }

  /** Carrier before DNS (calls must keep landing somewhere while DNS caches expire), then the rest by name. */
  static List<TrafficActuator> ordered(List<TrafficActuator> actuators) {
    List<TrafficActuator> sorted = new ArrayList<>(actuators);
    sorted.sort(Comparator.comparingInt((TrafficActuator a) -> rank(a.name())).thenComparing(TrafficActuator::name));
    return List.copyOf(sorted);
  }

  private static int rank(String name) {
    if (name.startsWith("carrier")) {
      return 0;
    }
    return name.startsWith("dns") ? 1 : 2;
  }

  /** Adds an observer of plans' progress (e.g. a game-day drill timing the shift). */
  public void addListener(PlanListener listener) {
    listeners.add(listener);
  }

  private void readBack(Plan plan, String actuator) {
    Instant at = clock.instant();
    for (PlanListener l : listeners) {
      try {
        l.readBack(plan, actuator, at);
      } catch (RuntimeException e) {
        // An observer must never stop a plan.
        log.warn("[epoch={} plan={}] plan listener failed: {}", plan.epoch(), plan.id(), e.toString());
      }
    }
  }

  /** The actuators' names in the order plans step through them. */
  public List<String> actuatorNames() {
    return actuators.stream().map(TrafficActuator::name).toList();
  }

  /**
   * Runs {@code plan} at {@code epoch}. Returns the plan as it ended: SUCCEEDED, FAILED, FENCED, or
   * still RUNNING/PENDING when leadership was lost between steps (the next leader resumes it).
   */
  public Plan execute(Plan plan, long epoch) throws InterruptedException {
    String tag = "[epoch=" + epoch + " plan=" + plan.id() + "]";
    Plan current = plan.withState(PlanState.RUNNING);
    try {
      journal.savePlan(epoch, current);
      log.info("{} started: {} ({})", tag, current.description(), current.reason());
      for (int i = 0; i < current.steps().size(); i++) {
        PlanStep step = current.steps().get(i);
        if (step.state() == PlanState.SUCCEEDED) {
          continue;
        }
        if (!guard.isLeaderAt(epoch)) {
          log.warn("{} no longer leader: stopping before step '{}'; the next leader resumes the plan", tag, step.name());
          return current;
        }
        hook.beforeStep(current, step);
        Instant started = clock.instant();
        PlanStep done = runStep(current, step, epoch, tag);
        stepTimer.accept(step.name(), Duration.between(started, clock.instant()));
        current = current.withStep(i, done);
        if (done.state() != PlanState.SUCCEEDED) {
          current = current.withState(done.state());
        }
        recordStep(current, done, epoch);
        journal.savePlan(epoch, current);
        if (done.state() == PlanState.FENCED) {
          log.warn("{} step '{}' fenced: {}; relinquishing leadership", tag, done.name(), done.error());
          onFenced.run();
          return current;
        }
        if (done.state() == PlanState.FAILED) {
          log.error("{} ALERT step '{}' failed after {} attempts: {}; plan left FAILED and resumable",
              tag, done.name(), done.attempts(), done.error());
          return current;
        }
      }
      current = current.withState(PlanState.SUCCEEDED);
      journal.savePlan(epoch, current);
      log.info("{} succeeded: {}", tag, current.description());
      return current;
    } catch (StaleEpochException e) {
      log.warn("{} state write refused: {}; relinquishing leadership", tag, e.getMessage());
      onFenced.run();
      return current.withState(PlanState.FENCED);
    } catch (StateException e) {
      // Static stability: without ZooKeeper nothing more moves; the plan stays resumable.
      log.error("{} ALERT stopping: {}", tag, e.getMessage());
      return current;
    }
  }

  private void recordStep(Plan plan, PlanStep step, long epoch) throws StateException, InterruptedException {
    journal.record(epoch, HistoryEntry.of(
        clock.instant(), HistoryKind.PLAN_STEP, epoch, plan.id(), plan.principal(),
        step.name() + ": " + step.state() + " after " + step.attempts() + " attempt(s)",
        step.error().isEmpty() ? plan.reason() : step.error(),
        Map.of("target", plan.target().describe())));
  }

  private PlanStep runStep(Plan plan, PlanStep step, long epoch, String tag) throws InterruptedException {
    Instant deadline = clock.instant().plus(budget.stepBudget());
    int attempt = step.attempts();
    int local = 0;
    while (true) {
      attempt++;
      local++;
      try {
        attemptOnce(plan, step, epoch);
        log.info("{} step '{}' done (attempt {})", tag, step.name(), attempt);
        return step.with(PlanState.SUCCEEDED, attempt, "");
      } catch (ActuationException e) {
        switch (e.failure()) {
          case FENCED -> {
            return step.with(PlanState.FENCED, attempt, e.getMessage());
          }
          case PERMANENT -> {
            return step.with(PlanState.FAILED, attempt, "permanent: " + e.getMessage());
          }
          case TRANSIENT -> {
            Duration pause = Duration.ofMillis(random.nextLong(budget.backoffCap(local).toMillis() + 1));
            if (!clock.instant().plus(pause).isBefore(deadline)) {
              return step.with(PlanState.FAILED, attempt, "budget " + budget.stepBudget() + " exhausted: " + e.getMessage());
            }
            log.warn("{} step '{}' attempt {} failed (transient): {}; retrying in {} ms",
                tag, step.name(), attempt, e.getMessage(), pause.toMillis());
            sleeper.sleep(pause);
            if (!guard.isLeaderAt(epoch)) {
              return step.with(PlanState.RUNNING, attempt, "leadership lost while retrying: " + e.getMessage());
            }
          }
        }
      }
    }
  }

  private void attemptOnce(Plan plan, PlanStep step, long epoch) throws ActuationException, InterruptedException {
    List<TrafficActuator> targets = step.isVerify()
        ? actuators
        : actuators.stream().filter(a -> a.name().equals(step.actuator())).toList();
    if (targets.isEmpty() && !step.isVerify()) {
      throw new ActuationException(ActuationException.Failure.PERMANENT, step.actuator(),
          "no such actuator is configured on this replica");
    }
    for (TrafficActuator a : targets) {
      Future<Void> f = attempts.submit(() -> {
        if (step.isVerify()) {
          a.verify(epoch, plan.target());
        } else {
          a.apply(epoch, plan.id(), plan.target());
        }
        return null;
      });
      try {
        f.get(budget.attemptTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (step.isVerify()) {
          readBack(plan, a.name());
        }
      } catch (TimeoutException e) {
        f.cancel(true);
        throw new ActuationException(ActuationException.Failure.TRANSIENT, a.name(),
            "timed out after " + budget.attemptTimeout().toMillis() + " ms", e);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ActuationException ae) {
          throw ae;
        }
        throw new ActuationException(ActuationException.Failure.TRANSIENT, a.name(), String.valueOf(e.getCause()), e.getCause());
      } catch (InterruptedException e) {
        f.cancel(true);
        throw e;
      }
    }
  }

  @Override
  public void close() {
    attempts.shutdownNow();
  }
}
