package dev.dialtone.chaos.run;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillStep;
import dev.dialtone.chaos.drill.DrillExpectations;
import dev.dialtone.chaos.drill.DrillGuardrails;
import dev.dialtone.chaos.drill.LeaderFault;
import dev.dialtone.config.Durations;
import dev.dialtone.chaos.fault.FaultException;
import dev.dialtone.chaos.fault.FaultSwitch;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One drill run. Guardrails: a refused preflight never injects; a breach (with {@code
 * abort_on_breach}), a real incident elsewhere, an operator's abort or the maximum duration heal at
 * once; a heal that keeps failing ends the run FAILED and leaves the toxics' records to the orphan
 * cleaner. All steps run on one executor thread at a time (methods are synchronized).
 */
public final class DrillRun {
  private static final Logger log = LoggerFactory.getLogger(DrillRun.class);

  private final RunnerConfig config;
  private final DrillDefinition drill;
  private final String runId;
  private final long epoch;
  private final DrillWorld world;
  private final FaultSwitch faults;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Consumer<TimelineEvent> listener;
  private final List<TimelineEvent> timeline = new ArrayList<>();
  private final List<String> breaches = new ArrayList<>();
  private final CompletableFuture<DrillResult> result = new CompletableFuture<>();

  private DrillState state = DrillState.PREFLIGHT;
  private Instant startedAt;
  private Instant injectedAt;
  private Instant healedAt;
  private String abortReason;
  private boolean carrierShifted;
  private boolean dnsShifted;
  private boolean failedBack;
  private int healFailures;
  private ScheduledFuture<?> stepping;
  private List<String> targets = List.of();
  // Multi-step drills: the next of drill.then() to inject, when the last step went in, and the
  // latest carrier and DNS shifts seen (a step "after: shifted" waits for both after the last injection).
  private int nextStep;
  private Instant lastInjectedAt;
  private Instant carrierShiftedAt;
  private Instant dnsShiftedAt;
  // What is in and not yet healed, in injection order: step 1 under the run id, step N under
  // "<run id>.stepN", so the steps can be healed one at a time, last first.
  private final List<RunCheckpoint.Unhealed> unhealed = new ArrayList<>();
  private final List<String> healOrder = new ArrayList<>();
  // The placement's order the drill's roles were resolved against (kept for a resuming leader),
  // and whether a control-plane step waits for the leader's next plan.
  private List<String> routing = List.of();
  private boolean leaderArmed;
  private final Handover handover = new Handover() {
    @Override
    public Optional<RunCheckpoint> handOver(String what, String replicaId, String planInFlight) {
      return DrillRun.this.handOver(what, replicaId, planInFlight);
    }

    @Override
    public void handedOver() {
      DrillRun.this.handedOver();
    }

    @Override
    public void notHandedOver(String why) {
      DrillRun.this.notHandedOver(why);
    }
  };

  DrillRun(
      RunnerConfig config,
      DrillDefinition drill,
      String runId,
      long epoch,
      DrillWorld world,
      FaultSwitch faults,
      Clock clock,
      ScheduledExecutorService executor,
      Consumer<TimelineEvent> listener) {
    this.config = config;
    this.drill = drill;
    this.runId = runId;
    this.epoch = epoch;
    this.world = world;
    this.faults = faults;
    this.clock = clock;
    this.executor = executor;
    this.listener = listener;
  }

  synchronized void begin(List<String> resolvedAgainst) {
    startedAt = clock.instant();
    routing = List.copyOf(resolvedAgainst);
    schedule();
  }

  private void schedule() {
    stepping =
        executor.scheduleWithFixedDelay(this::stepSafely, 0, config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Takes over a run another leader handed over: its faults become this replica's (the orphan sweep
   * leaves them), LEADER_ELECTED is recorded at {@code electedAt}, and the steps go on from where
   * they stopped. A fault that cannot be adopted aborts the run, which heals it.
   */
  synchronized void resume(RunCheckpoint from, Instant electedAt, String elected) {
    startedAt = from.startedAt();
    routing = from.routing();
    injectedAt = from.injectedAt();
    lastInjectedAt = from.lastInjectedAt();
    nextStep = from.nextStep();
    targets = from.targets();
    unhealed.addAll(from.unhealed());
    breaches.addAll(from.breaches());
    carrierShiftedAt = from.carrierShiftedAt();
    dnsShiftedAt = from.dnsShiftedAt();
    carrierShifted = carrierShiftedAt != null;
    dnsShifted = dnsShiftedAt != null;
    from.timeline().forEach(this::append);
    append(new TimelineEvent(electedAt, EventKind.LEADER_ELECTED, elected));
    log.info("[region={} epoch={} run={}] LEADER_ELECTED {}; resuming the run handed over at epoch {}", drill.region(), epoch,
        runId, elected, from.epoch());
    state = DrillState.RUNNING;
    try {
      for (RunCheckpoint.Unhealed u : unhealed) {
        faults.adopt(u.id());
      }
      world.resume(drill, from.planInFlight());
    } catch (FaultException | RuntimeException e) {
      abortReason = "aborted: the handed-over faults could not be taken over: " + e.getMessage();
    }
    schedule();
  }

  public String runId() {
    return runId;
  }

  public synchronized DrillState state() {
    return state;
  }

  public synchronized List<TimelineEvent> timeline() {
    return List.copyOf(timeline);
  }

  /** Completes when the run reaches a final state. */
  public CompletableFuture<DrillResult> result() {
    return result;
  }

  /** Asks the run to stop: its faults are healed on the next step, which is scheduled at once. */
  public synchronized void abort(String reason) {
    if (abortReason == null && !state.isFinal()) {
      abortReason = "aborted: " + reason;
      executor.execute(this::stepSafely);
    }
  }

  private void stepSafely() {
    try {
      step();
    } catch (RuntimeException e) {
      // A world or switch bug must not leave faults in: abort, which heals.
      log.error("[region={} epoch={} run={}] drill step failed", drill.region(), epoch, runId, e);
      synchronized (this) {
        if (abortReason == null) {
          abortReason = "aborted: internal error " + e;
        }
      }
    }
  }

  synchronized void step() {
    switch (state) {
      case PREFLIGHT -> preflightAndInject();
      case RUNNING -> {
        if (abortReason != null) {
          abortAndHeal(); // before polling: the world may be what failed
        } else {
          running();
        }
      }
      case HEALING -> healing();
      default -> {}
    }
  }

  private void preflightAndInject() {
    List<String> refusals;
    try {
      refusals = PreflightCheck.refusals(drill.guardrails(), world.preflight(drill));
    } catch (RuntimeException e) {
      refusals = List.of("preflight facts unavailable: " + e.getMessage());
    }
    if (!refusals.isEmpty()) {
      record(EventKind.PREFLIGHT_REFUSED, String.join("; ", refusals));
      finish(DrillState.SKIPPED, "preflight refused: " + String.join("; ", refusals));
      return;
    }
    if (abortReason != null) {
      finish(DrillState.ABORTED, abortReason);
      return;
    }
    record(EventKind.PREFLIGHT_PASSED, "standby healthy, no plan in flight, not frozen");
    world.poll(); // Forget what happened before the fault: the timeline starts at injection.
    List<String> targets = drill.proxyNames(world.regions());
    if (targets.isEmpty()) {
      record(EventKind.INJECTION_FAILED, "no region to break");
      finish(DrillState.FAILED, "injection failed: the deployment has no region to break");
      return;
    }
    try {
      for (String proxy : targets) {
        faults.inject(runId, epoch, proxy, drill.faults());
      }
    } catch (FaultException e) {
      record(EventKind.INJECTION_FAILED, e.failure() + ": " + e.getMessage());
      finish(DrillState.FAILED, "injection failed: " + e.getMessage());
      return;
    }
    injectedAt = clock.instant();
    lastInjectedAt = injectedAt;
    unhealed.add(new RunCheckpoint.Unhealed(runId, 1, String.join(", ", targets)));
    record(
        EventKind.FAULT_INJECTED,
        drill.faults().stream().map(f -> f.type()).reduce((a, b) -> a + ", " + b).orElse("") + " on " + String.join(", ", targets));
    this.targets = targets;
    state = DrillState.RUNNING;
  }

  private void running() {
    Instant now = clock.instant();
    DrillExpectations expected = drill.expectations();
    DrillGuardrails guardrails = drill.guardrails();
    for (TimelineEvent event : observe()) {
      switch (event.kind()) {
        case CARRIER_SHIFTED -> {
          carrierShifted = true;
          carrierShiftedAt = event.at();
        }
        case DNS_SHIFTED -> {
          dnsShifted = true;
          dnsShiftedAt = event.at();
        }
        case OUTAGE_MODE_ENTERED -> {
          if (expected.noOutageMode()) {
            breach("outage mode entered");
          }
        }
        case LAB_CALL_FAILED -> {
          if (expected.noFailedLabCalls()) {
            breach("a lab call failed" + (event.detail().isEmpty() ? "" : ": " + event.detail()));
          }
        }
        case INCIDENT_ELSEWHERE -> {
          if (guardrails.abortOnIncidentElsewhere() && abortReason == null) {
            abortReason = "aborted: real incident elsewhere: " + event.detail();
          }
        }
        default -> {}
      }
    }
    if (abortReason == null) {
      injectDueSteps(now);
      if (state != DrillState.RUNNING) {
        return; // handed over to the next leader
      }
    }
    Duration sinceInjection = Duration.between(injectedAt, now);
    if (expected.shiftedWithin() != null
        && !(carrierShifted && dnsShifted)
        && sinceInjection.compareTo(expected.shiftedWithin()) > 0
        && breaches.stream().noneMatch(b -> b.startsWith("traffic not shifted"))) {
      breach("traffic not shifted within " + Durations.format(expected.shiftedWithin()));
    }
    if (abortReason == null && !breaches.isEmpty() && guardrails.abortOnBreach()) {
      abortReason = "aborted: " + breaches.get(0);
    }
    if (abortReason == null && Duration.between(startedAt, now).compareTo(guardrails.maxDuration()) >= 0) {
      abortReason = "aborted: maximum duration " + Durations.format(guardrails.maxDuration()) + " reached";
    }
    if (abortReason != null) {
      abortAndHeal();
    } else if (sinceInjection.compareTo(drill.duration()) >= 0) {
      for (int i = nextStep; i < drill.then().size(); i++) {
        breach("step " + (i + 2) + " (after " + drill.then().get(i).after() + ") not reached within the drill's duration "
            + Durations.format(drill.duration()));
      }
      nextStep = drill.then().size();
      state = DrillState.HEALING;
      healing();
    }
  }

  // Injects the next steps whose condition holds now, in order; a step that cannot go in aborts the run.
  private void injectDueSteps(Instant now) {
    while (nextStep < drill.then().size() && abortReason == null) {
      DrillStep step = drill.then().get(nextStep);
      Optional<LeaderFault> leader = step.leaderFault();
      if (leader.isPresent()) {
        faultLeader(leader.get(), now);
        return;
      }
      boolean due = step.delay().map(d -> !now.isBefore(lastInjectedAt.plus(d)))
          .orElseGet(() -> carrierShiftedAt != null && dnsShiftedAt != null && carrierShiftedAt.isAfter(lastInjectedAt)
              && dnsShiftedAt.isAfter(lastInjectedAt));
      if (!due) {
        return;
      }
      String proxy = drill.proxyName(step);
      try {
        faults.inject(stepId(nextStep + 2), epoch, proxy, step.faults());
      } catch (FaultException e) {
        record(EventKind.INJECTION_FAILED, "step " + (nextStep + 2) + ": " + e.failure() + ": " + e.getMessage());
        abortReason = "aborted: step " + (nextStep + 2) + " could not be injected: " + e.getMessage();
        return;
      }
      lastInjectedAt = clock.instant();
      unhealed.add(new RunCheckpoint.Unhealed(stepId(nextStep + 2), nextStep + 2, proxy));
      List<String> all = new ArrayList<>(targets);
      all.add(proxy);
      targets = List.copyOf(all);
      record(EventKind.FAULT_INJECTED, "step " + (nextStep + 2) + " (after " + step.after() + "): "
          + step.faults().stream().map(f -> f.type()).reduce((a, b) -> a + ", " + b).orElse("") + " on " + proxy);
      nextStep++;
    }
  }

  // A control-plane step: fault the leader (this process) at once, or arm it for the next plan step.
  private void faultLeader(LeaderFault fault, Instant now) {
    DrillStep step = drill.then().get(nextStep);
    if (leaderArmed) {
      return; // waiting for the world to hand the run over
    }
    if (fault.inFlight()) {
      leaderArmed = true;
      record(EventKind.FAULT_INJECTED, "step " + (nextStep + 2) + " (after in_flight): " + fault.describe()
          + " of the leader, armed for the moment its next plan touches an actuator");
      armOrAbort(fault);
      return;
    }
    boolean due = step.delay().map(d -> !now.isBefore(lastInjectedAt.plus(d)))
        .orElseGet(() -> carrierShiftedAt != null && dnsShiftedAt != null && carrierShiftedAt.isAfter(lastInjectedAt)
            && dnsShiftedAt.isAfter(lastInjectedAt));
    if (due) {
      leaderArmed = true;
      armOrAbort(fault); // the world hands the run over and faults this process
    }
  }

  private void armOrAbort(LeaderFault fault) {
    try {
      world.faultLeader(fault, handover);
    } catch (RuntimeException e) {
      record(EventKind.INJECTION_FAILED, "step " + (nextStep + 2) + ": " + e.getMessage());
      abortReason = "aborted: step " + (nextStep + 2) + " (" + fault.describe() + " of the leader) could not be done: "
          + e.getMessage();
    }
  }

  private synchronized Optional<RunCheckpoint> handOver(String what, String replicaId, String planInFlight) {
    if (state != DrillState.RUNNING || abortReason != null) {
      return Optional.empty();
    }
    record(EventKind.LEADER_LOST, what);
    state = DrillState.HANDED_OVER;
    if (stepping != null) {
      stepping.cancel(false);
    }
    return Optional.of(new RunCheckpoint(drill.name(), runId, epoch, replicaId, clock.instant(), routing, startedAt, injectedAt,
        clock.instant(), nextStep + 1, targets, unhealed, timeline, breaches, carrierShiftedAt, dnsShiftedAt, planInFlight));
  }

  private synchronized void handedOver() {
    finish(DrillState.HANDED_OVER, "handed over to the next leader: " + timeline.getLast().detail());
  }

  private synchronized void notHandedOver(String why) {
    if (state != DrillState.HANDED_OVER) {
      return;
    }
    record(EventKind.INJECTION_FAILED, "step " + (nextStep + 2) + ": " + why);
    state = DrillState.RUNNING;
    abortReason = "aborted: step " + (nextStep + 2) + " (a control-plane fault) could not be done: " + why;
    schedule();
  }

  private void abortAndHeal() {
    record(EventKind.ABORTED, abortReason);
    state = DrillState.HEALING;
    healing();
  }

  /** The id step {@code n} (from 2) injects under; step 1 uses the run id. */
  private String stepId(int n) {
    return runId + ".step" + n;
  }

  private void healing() {
    if (healedAt == null) {
      try {
        // Last in, first out: the state the drill built up is taken down in reverse; a step whose
        // heal fails stays at the end of the list and is retried first on the next tick.
        while (!unhealed.isEmpty()) {
          RunCheckpoint.Unhealed last = unhealed.getLast();
          faults.heal(last.id());
          unhealed.removeLast();
          healOrder.add("step " + last.step() + " on " + last.proxy());
        }
        if (healOrder.isEmpty()) {
          faults.heal(runId); // nothing went in (e.g. aborted first): still end the run's liveness
        }
      } catch (FaultException e) {
        healFailures++;
        record(EventKind.HEAL_FAILED, "attempt " + healFailures + ": " + e.getMessage());
        if (healFailures >= config.healAttempts() || e.failure() == FaultException.Failure.FENCED) {
          finish(DrillState.FAILED, "heal failed " + healFailures + " times; the orphan cleaner takes over: " + e.getMessage());
        }
        return;
      }
      healedAt = clock.instant();
      record(EventKind.HEALED, healOrder.size() <= 1 ? "faults removed from " + String.join(", ", targets)
          : "faults removed last first: " + String.join(", ", healOrder));
    }
    if (abortReason != null) {
      finish(DrillState.ABORTED, abortReason);
      return;
    }
    for (TimelineEvent event : observe()) {
      if (event.kind() == EventKind.FAILED_BACK) {
        failedBack = true;
      }
    }
    Duration window = drill.expectations().failedBackWithin();
    if (window != null && !failedBack) {
      if (Duration.between(healedAt, clock.instant()).compareTo(window) <= 0) {
        return; // keep waiting for the failback
      }
      breach("traffic not back within " + Durations.format(window) + " after healing");
    }
    if (breaches.isEmpty()) {
      finish(DrillState.PASSED, "every expectation met");
    } else {
      finish(DrillState.FAILED, String.join("; ", breaches));
    }
  }

  private List<TimelineEvent> observe() {
    List<TimelineEvent> events = new ArrayList<>();
    for (TimelineEvent event : world.poll()) {
      if (event.kind().observed()) {
        append(event);
        events.add(event);
      }
    }
    return events;
  }

  private void breach(String what) {
    breaches.add(what);
    record(EventKind.BREACH, what);
  }

  private void record(EventKind kind, String detail) {
    append(new TimelineEvent(clock.instant(), kind, detail));
    log.info("[region={} epoch={} run={}] {} {}", drill.region(), epoch, runId, kind, detail);
  }

  private void append(TimelineEvent event) {
    timeline.add(event);
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      // A broken progress display must never keep a fault in.
      log.warn("[region={} epoch={} run={}] timeline listener failed: {}", drill.region(), epoch, runId, e.toString());
    }
  }

  private void finish(DrillState end, String reason) {
    state = end;
    record(EventKind.FINISHED, end + ": " + reason);
    if (stepping != null) {
      stepping.cancel(false);
    }
    result.complete(
        new DrillResult(drill, runId, epoch, end, reason, startedAt, clock.instant(), timeline, breaches));
  }
}
