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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a plan: one step per actuator (apply, then read back), each retried independently within
 * its own budget, so a failing carrier never holds back DNS. The plan is persisted before it
 * starts and after its steps, and every step's outcome goes to the history. Every attempt is
 * bounded by the attempt timeout and single-flight per actuator (a retry never runs beside a
 * timed-out attempt still in progress). Each step is guarded by "still leader at epoch N".
 *
 * <p>Outcomes: all steps done → SUCCEEDED; a fenced refusal (stale epoch, from an actuator or
 * the epoch-checked state writes) → FENCED, never retried, leadership relinquished; a permanent
 * failure → FAILED (resumable by hand) and alerted; a step whose budget ran out on transient
 * failures leaves the plan RUNNING with that actuator named as lagging, so the next tick resumes
 * it (only the lagging steps run again) until the actuator comes back.
 */
public final class PlanExecutor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlanExecutor.class);
  /** The prefix of a lagging step's error: its budget ran out on transient failures; it will be retried. */
  public static final String LAGGING = "lagging: ";

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
  private final Executor steps;
  private final ExecutorService ownSteps;
  private final List<PlanListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<Void>> inProgress = new ConcurrentHashMap<>();
  private final ExecutorService attempts = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "plan-attempt");
    t.setDaemon(true);
    return t;
  });

  /**
   * Steps run concurrently, one thread per actuator.
   *
   * @param onFenced called once when a step is fenced (the replica relinquishes leadership)
   * @param stepTimer told each step's name and duration, for metrics
   */
  public PlanExecutor(
      List<TrafficActuator> actuators, PlanJournal journal, LeaderGuard guard, RetryBudget budget, Clock clock,
      Sleeper sleeper, RandomGenerator random, Runnable onFenced, StepHook hook, BiConsumer<String, Duration> stepTimer) {
    this(actuators, journal, guard, budget, clock, sleeper, random, onFenced, hook, stepTimer, null);
  }

  /** As above, running steps on {@code steps} ({@code Runnable::run} runs them one after another, for tests). */
  public PlanExecutor(
      List<TrafficActuator> actuators, PlanJournal journal, LeaderGuard guard, RetryBudget budget, Clock clock,
      Sleeper sleeper, RandomGenerator random, Runnable onFenced, StepHook hook, BiConsumer<String, Duration> stepTimer,
      Executor steps) {
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
    this.ownSteps = steps == null ? Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "plan-step");
      t.setDaemon(true);
      return t;
    }) : null;
    this.steps = steps == null ? ownSteps : steps;
  }

  /** Carrier before DNS in the plan's order (calls must keep landing while DNS caches expire), then the rest by name. */
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
    tell(plan, l -> l.readBack(plan, actuator, clock.instant()));
  }

  private Plan ended(Plan plan) {
    tell(plan, l -> l.ended(plan, clock.instant()));
    return plan;
  }

  private void tell(Plan plan, java.util.function.Consumer<PlanListener> call) {
    for (PlanListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // An observer must never stop a plan.
        log.warn("[epoch={} plan={}] plan listener failed: {}", plan.epoch(), plan.id(), e.toString());
      }
    }
  }

  /** The actuators' names in the order plans list them. */
  public List<String> actuatorNames() {
    return actuators.stream().map(TrafficActuator::name).toList();
  }

  /** Whether this executor moves anything at all (a recommend-only replica has no actuator). */
  public boolean actuates() {
    return !actuators.isEmpty();
  }

  /**
   * Runs {@code plan} at {@code epoch}. Returns the plan as it ended: SUCCEEDED, FAILED, FENCED, or
   * still RUNNING when leadership was lost or an actuator lags (the next tick or leader resumes it).
   */
  public Plan execute(Plan plan, long epoch) throws InterruptedException {
    String tag = "[epoch=" + epoch + " plan=" + plan.id() + "]";
    Plan current = plan.withState(PlanState.RUNNING);
    try {
      journal.savePlan(epoch, current);
      log.info("{} started: {} ({})", tag, current.description(), current.reason());
      if (!guard.isLeaderAt(epoch)) {
        log.warn("{} no longer leader: stopping before any step; the next leader resumes the plan", tag);
        return current;
      }
      List<Integer> todo = new ArrayList<>();
      for (int i = 0; i < current.steps().size(); i++) {
        if (current.steps().get(i).state() != PlanState.SUCCEEDED) {
          todo.add(i);
        }
      }
      Plan started = current;
      AtomicBoolean fenced = new AtomicBoolean();
      List<CompletableFuture<PlanStep>> running = new ArrayList<>();
      for (int i : todo) {
        PlanStep step = started.steps().get(i);
        running.add(CompletableFuture.supplyAsync(() -> timedStep(started, step, epoch, tag, fenced), steps));
      }
      for (int k = 0; k < todo.size(); k++) {
        PlanStep done = awaitStep(running.get(k), started.steps().get(todo.get(k)));
        current = current.withStep(todo.get(k), done);
        recordStep(current, done, epoch);
      }
      current = current.withState(outcome(current));
      journal.savePlan(epoch, current);
      return ended(report(current, tag));
    } catch (StaleEpochException e) {
      log.warn("{} state write refused: {}; relinquishing leadership", tag, e.getMessage());
      onFenced.run();
      return ended(current.withState(PlanState.FENCED));
    } catch (StateException e) {
      // Static stability: without ZooKeeper nothing more moves; the plan stays resumable.
      log.error("{} ALERT stopping: {}", tag, e.getMessage());
      return current;
    }
  }

  private PlanStep awaitStep(CompletableFuture<PlanStep> f, PlanStep step) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof InterruptedException ie) {
        throw ie;
      }
      return step.with(PlanState.FAILED, step.attempts(), "permanent: unexpected " + cause);
    }
  }

  private static PlanState outcome(Plan plan) {
    List<PlanStep> s = plan.steps();
    if (s.stream().anyMatch(st -> st.state() == PlanState.FENCED)) {
      return PlanState.FENCED;
    }
    if (s.stream().anyMatch(st -> st.state() == PlanState.FAILED)) {
      return PlanState.FAILED;
    }
    return s.stream().allMatch(st -> st.state() == PlanState.SUCCEEDED) ? PlanState.SUCCEEDED : PlanState.RUNNING;
  }

  private Plan report(Plan plan, String tag) {
    switch (plan.state()) {
      case SUCCEEDED -> log.info("{} succeeded: {}", tag, plan.description());
      case FENCED -> {
        log.warn("{} fenced: {}; relinquishing leadership", tag, errors(plan));
        onFenced.run();
      }
      case FAILED -> log.error("{} ALERT failed: {}; plan left FAILED and resumable", tag, errors(plan));
      default -> {
        List<String> lagging = plan.steps().stream().filter(st -> st.error().startsWith(LAGGING)).map(PlanStep::actuator).toList();
        if (!lagging.isEmpty()) {
          log.error("{} ALERT actuator(s) {} lagging: {}; the others are done, the plan stays in flight and is retried",
              tag, lagging, errors(plan));
        }
      }
    }
    return plan;
  }

  private static String errors(Plan plan) {
    return plan.steps().stream().filter(st -> !st.error().isEmpty()).map(st -> st.name() + ": " + st.error()).toList().toString();
  }

  private PlanStep timedStep(Plan plan, PlanStep step, long epoch, String tag, AtomicBoolean fenced) {
    try {
      if (!guard.isLeaderAt(epoch)) {
        return step.with(PlanState.RUNNING, step.attempts(), "leadership lost before the step started");
      }
      hook.beforeStep(plan, step);
      for (PlanListener l : listeners) {
        l.aboutToAct(plan, step);
      }
      Instant started = clock.instant();
      PlanStep done = runStep(plan, step, epoch, tag, fenced);
      if (done.state() == PlanState.FENCED) {
        fenced.set(true); // a newer leader owns at least one target: the other steps stop too
      }
      stepTimer.accept(step.name(), Duration.between(started, clock.instant()));
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return step.with(PlanState.RUNNING, step.attempts(), "interrupted: the term ended");
    }
  }

  private void recordStep(Plan plan, PlanStep step, long epoch) throws StateException, InterruptedException {
    journal.record(epoch, HistoryEntry.of(
        clock.instant(), HistoryKind.PLAN_STEP, epoch, plan.id(), plan.principal(),
        step.name() + ": " + (step.error().startsWith(LAGGING) ? "LAGGING" : step.state()) + " after " + step.attempts()
            + " attempt(s)",
        step.error().isEmpty() ? plan.reason() : step.error(),
        Map.of("target", plan.target().describe())));
  }

  private PlanStep runStep(Plan plan, PlanStep step, long epoch, String tag, AtomicBoolean fenced)
      throws InterruptedException {
    Instant deadline = clock.instant().plus(budget.stepBudget());
    int attempt = step.attempts();
    int local = 0;
    while (true) {
      // The first attempt follows the leadership check made before the step: a replica stalled
      // in between (GC, SIGSTOP) must find the actuators themselves closed to its epoch.
      if (local > 0 && !guard.isLeaderAt(epoch)) {
        return step.with(PlanState.RUNNING, attempt, "leadership lost before attempt " + (attempt + 1));
      }
      if (fenced.get()) {
        return step.with(PlanState.RUNNING, attempt, "stopped: another step of this plan was fenced by a newer epoch");
      }
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
            Duration pause = budget.backoff().delay(local, random);
            if (!clock.instant().plus(pause).isBefore(deadline)) {
              return step.with(PlanState.RUNNING, attempt, LAGGING + "budget " + budget.stepBudget() + " exhausted: " + e.getMessage());
            }
            log.warn("{} step '{}' attempt {} failed (transient): {}; retrying in {} ms",
                tag, step.name(), attempt, e.getMessage(), pause.toMillis());
            sleeper.sleep(pause);
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
      singleFlight(a, () -> {
        if (!step.isVerify()) {
          a.apply(epoch, plan.id(), plan.target());
        }
        a.verify(epoch, plan.target());
        return null;
      });
      readBack(plan, a.name());
    }
  }

  /** One attempt against {@code a}, bounded by the attempt timeout, never beside an earlier one still running. */
  private void singleFlight(TrafficActuator a, java.util.concurrent.Callable<Void> work)
      throws ActuationException, InterruptedException {
    long timeout = budget.attemptTimeout().toMillis();
    CompletableFuture<Void> previous = inProgress.get(a.name());
    if (previous != null && !previous.isDone()) {
      try {
        previous.get(timeout, TimeUnit.MILLISECONDS);
      } catch (TimeoutException | ExecutionException e) {
        if (!previous.isDone()) {
          throw new ActuationException(ActuationException.Failure.TRANSIENT, a.name(),
              "an earlier attempt is still running after " + (2 * timeout) + " ms; not starting another beside it");
        }
      }
    }
    CompletableFuture<Void> finished = new CompletableFuture<>();
    inProgress.put(a.name(), finished);
    Future<Void> f = attempts.submit(() -> {
      try {
        return work.call();
      } finally {
        finished.complete(null);
      }
    });
    try {
      f.get(timeout, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new ActuationException(ActuationException.Failure.TRANSIENT, a.name(), "timed out after " + timeout + " ms", e);
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

  @Override
  public void close() {
    attempts.shutdownNow();
    if (ownSteps != null) {
      ownSteps.shutdownNow();
    }
  }
}
