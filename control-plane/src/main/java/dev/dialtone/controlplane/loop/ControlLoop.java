package dev.dialtone.controlplane.loop;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.leadership.LeaderGuard;
import dev.dialtone.controlplane.leadership.LeadershipListener;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.Recommendation;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanExecutor;
import dev.dialtone.controlplane.plan.PlanState;
import dev.dialtone.controlplane.policy.Decision;
import dev.dialtone.controlplane.policy.LifecycleChange;
import dev.dialtone.controlplane.policy.PolicyInput;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.Versioned;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin applier (external-dns {@code RunOnce} style): on each tick while this replica leads at
 * epoch N, it reads the world (regions, placement, freeze, mode) from ZooKeeper, asks the policy,
 * records the decision, turns an actionable one into a plan, runs it, and commits the new
 * placement. Ticks and operator actions run one at a time on the loop's own thread, so two plans
 * never overlap. If ZooKeeper cannot be read, the tick does nothing (static stability).
 *
 * <p>A plan found in flight from an earlier term is resumed under the new epoch when every region
 * it routes to is still registered and routable; otherwise it is marked ROLLED_BACK and a plan back
 * to the committed placement runs instead. Either way the policy re-decides on the next tick.
 */
public final class ControlLoop implements LeadershipListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);
  /** The principal the loop's own decisions are recorded under. */
  public static final String POLICY = "policy";

  private final ZooKeeperStateStore store;
  // Per term, on the loop's thread: what was already noted, so a standing condition is told once.
  private final java.util.Set<String> silentAgents = new java.util.HashSet<>();
  private final java.util.Set<String> laggingPlans = new java.util.HashSet<>();
  private final Function<Instant, HealthSnapshot> health;
  private final Function<PolicyInput, Decision> decide;
  private final Function<PolicyInput, List<LifecycleChange>> lifecycle;
  private final PolicyConfig config;
  private final PlanExecutor executor;
  private final LeaderGuard guard;
  private final Clock clock;
  private final Supplier<String> planIds;
  private final ScheduledExecutorService thread;
  private final Duration tick;
  private final Consumer<Decision> decisions;
  private volatile long epoch;
  private volatile ScheduledFuture<?> ticking;
  private final AtomicBoolean nudgePending = new AtomicBoolean();
  private String lastNoted = "";
  /** The epoch whose term has taken every actuator over (loop thread only). */
  private long claimedAt;

  /**
   * @param health the health view's snapshot at an instant
   * @param decide the placement policy
   * @param lifecycle lifecycle promotions due (e.g. PROVISIONING → STANDBY)
   * @param thread a single-thread scheduler owned by the loop
   * @param decisions told every decision, for metrics
   */
  public ControlLoop(
      ZooKeeperStateStore store, Function<Instant, HealthSnapshot> health, Function<PolicyInput, Decision> decide,
      Function<PolicyInput, List<LifecycleChange>> lifecycle, PolicyConfig config, PlanExecutor executor,
      LeaderGuard guard, Clock clock, Supplier<String> planIds, ScheduledExecutorService thread, Duration tick,
      Consumer<Decision> decisions) {
    this.store = store;
    this.health = health;
    this.decide = decide;
    this.lifecycle = lifecycle;
    this.config = config;
    this.executor = executor;
    this.guard = guard;
    this.clock = clock;
    this.planIds = planIds;
    this.thread = thread;
    this.tick = tick;
    this.decisions = decisions;
  }

  /** The epoch this replica leads at, or 0. */
  public long epoch() {
    long e = epoch;
    return guard.isLeaderAt(e) ? e : 0;
  }

  @Override
  public void onGained(long newEpoch) {
    epoch = newEpoch;
    lastNoted = "";
    silentAgents.clear();
    laggingPlans.clear();
    ticking = thread.scheduleWithFixedDelay(() -> tickSafely(newEpoch), 0, tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void onLost() {
    epoch = 0;
    ScheduledFuture<?> t = ticking;
    if (t != null) {
      t.cancel(true); // interrupts a running plan: it stops between steps and stays resumable
    }
  }

  /**
   * Decides now instead of at the next tick, because a region's health just changed; coalesced
   * (one pending at a time) and a no-op unless this replica leads. The tick stays the safety net.
   */
  public void nudge() {
    long e = epoch;
    if (e == 0 || !nudgePending.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(() -> {
        nudgePending.set(false);
        if (epoch == e) {
          tickSafely(e);
        }
      });
    } catch (RejectedExecutionException closed) {
      nudgePending.set(false); // the loop is shutting down
    }
  }

  /** Runs {@code action} on the loop thread (after any plan in progress), for operator actions. */
  public <T> T exclusive(Callable<T> action) throws Exception {
    try {
      return thread.submit(action).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void tickSafely(long e) {
    try {
      runOnce(e);
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
    } catch (StateException ex) {
      log.warn("[epoch={}] tick skipped, nothing moves: {}", e, ex.getMessage());
    } catch (RuntimeException ex) {
      log.error("[epoch={}] tick failed: {}", e, ex.toString(), ex);
    }
  }

  /** One pass: resume a plan in flight, apply lifecycle promotions, decide, and act. */
  public void runOnce(long e) throws StateException, InterruptedException {
    if (!guard.isLeaderAt(e)) {
      return;
    }
    Map<String, RegionSpec> regions = store.regions();
    if (regions.isEmpty()) {
      return;
    }
    Optional<Plan> inFlight = store.plan();
    if (inFlight.isPresent() && inFlight.get().state().inFlight()) {
      resumeOrRollBack(e, inFlight.get(), regions);
      return;
    }
    Optional<Versioned<Placement>> placement = placement();
    if (claimedAt != e && executor.actuates() && placement.isPresent() && placement.get().value().placed()) {
      claimedAt = e; // once per term: a claim that fails is logged, not retried every tick
      claim(e, placement.get().value(), regions);
      placement = placement();
    }
    // Before any placement the policy reasons from the initial one (epoch 0) and makes the first,
    // health-checked, through the same rules as every other decision.
    PolicyInput in = input(placement.map(Versioned::value).orElse(Placement.initial(regions.values(), clock.instant())),
        regions);
    noteSilentAgents(e, in);
    for (LifecycleChange change : lifecycle.apply(in)) {
      RegionSpec spec = regions.get(change.regionId());
      if (spec != null && spec.lifecycle() == change.from()) {
        store.putRegion(e, spec.withLifecycle(change.to(), in.now()));
        note(e, HistoryKind.REGION, "", POLICY, change.regionId() + ": " + change.from() + " -> " + change.to(),
            change.reason(), Map.of());
      }
    }
    Decision d = decide.apply(in);
    decisions.accept(d);
    boolean automatic = in.placement().placed(); // a first placement starts no hold-down
    if (inFlight.isPresent() && inFlight.get().state() == PlanState.FAILED && d.actionable()
        && target(order(d), regions).describe().equals(inFlight.get().target().describe())) {
      // A plan that failed beyond its budget is not retried by the policy every tick: an
      // operator resumes it (switchover/failover), or the policy picks a different target.
      Decision held = new Decision.HoldStill("plan " + inFlight.get().id() + " to " + inFlight.get().target().describe()
          + " FAILED; automatic retries are held until an operator acts", Map.of("plan", inFlight.get().id()));
      act(e, held, POLICY, automatic, false);
      return;
    }
    act(e, d, POLICY, automatic, false);
  }

  /**
   * Records, once per silence and term, a region whose agent has reported before and has now been
   * quiet past {@code staleAfter}: silence is not failure (routing holds), but someone should look.
   */
  private void noteSilentAgents(long e, PolicyInput in) throws StateException, InterruptedException {
    Duration staleAfter = in.config().staleAfter();
    for (var r : in.health().regions().values()) {
      if (r.lastReportAt() == null) {
        continue; // never reported: an agent not started yet is not a silent one
      }
      Duration quiet = Duration.between(r.lastReportAt(), in.now());
      if (quiet.compareTo(staleAfter) <= 0) {
        silentAgents.remove(r.regionId());
      } else if (silentAgents.add(r.regionId()) && !toldSince(r.regionId(), r.lastReportAt())) {
        String since = r.lastReportAt().toString();
        store.write(e, store.paths().silence(r.regionId()), new Silence(r.lastReportAt(), in.now()), -1);
        note(e, HistoryKind.REGION, "", POLICY, r.regionId() + ": " + AGENT_SILENT, "no report accepted since " + since
            + " (stale after " + dev.dialtone.config.Durations.format(staleAfter) + "); silence is not failure: routing holds",
            Map.of("region", r.regionId(), "lastReportAt", since));
        log.warn("[epoch={}] ALERT {} agent silent since {}", e, r.regionId(), since);
      }
    }
  }

  /** A region's agent silence as told: the last report before it, and when it was told. */
  public record Silence(Instant lastReportAt, Instant toldAt) {}

  // Whether an earlier term already told this silence (told after our last report from that agent):
  // a new leader does not tell it twice. Each replica stamps reports as it receives them, hence "after".
  private boolean toldSince(String region, Instant lastReport) throws StateException {
    return store.read(store.paths().silence(region), Silence.class).map(v -> v.value().toldAt().isAfter(lastReport))
        .orElse(false);
  }

  /** The words a silent agent's history entry ends with ({@code "<region>: agent silent"}). */
  public static final String AGENT_SILENT = "agent silent";
  /** The words an actuator-lagging history entry starts with. */
  public static final String ACTUATOR_LAGGING = "actuator lagging: ";

  /**
   * Takes every actuator over at a new term's first pass, before any decision, by re-applying the
   * committed routing under {@code e}: each actuator's owner record moves to {@code e}, so a
   * stalled earlier leader is fenced from the takeover on, not only from the next shift.
   */
  private void claim(long e, Placement committed, Map<String, RegionSpec> regions)
      throws StateException, InterruptedException {
    List<String> routed = committed.routed();
    if (!routed.stream().allMatch(regions::containsKey)) {
      return; // a region of it is gone: the decision that follows re-routes, under e, anyway
    }
    Plan plan = newPlan(e, target(routed, regions), "epoch " + e + " takes every actuator over before deciding (routing"
        + " unchanged): a write by an earlier leader is refused from now on", POLICY, false);
    note(e, HistoryKind.DECISION, plan.id(), POLICY, "claim actuators: " + plan.description(), plan.reason(), Map.of());
    Plan done = run(e, plan, Map.of());
    if (done.state() != PlanState.SUCCEEDED) {
      log.warn("[epoch={} plan={}] ALERT claiming the actuators ended {}: an earlier leader stays unfenced on them until"
          + " the next shift", e, plan.id(), done.state());
    }
  }

  private static List<String> order(Decision d) {
    return switch (d) {
      case Decision.Shift s -> s.order();
      case Decision.LeaveOutage l -> l.order();
      default -> List.of();
    };
  }

  /** What the policy sees now. */
  public PolicyInput input(Placement placement, Map<String, RegionSpec> regions) throws StateException {
    Instant now = clock.instant();
    PolicyConfig effective = store.modeOverride().map(config::withMode).orElse(config);
    return new PolicyInput(health.apply(now), placement, regions, effective, store.freeze(), now);
  }

  /**
   * Records {@code d} and, if it moves traffic and {@code dryRun} is false, runs its plan.
   *
   * @return the plan run (or that would run), if the decision moves traffic
   */
  public Optional<Plan> act(long e, Decision d, String principal, boolean automatic, boolean dryRun)
      throws StateException, InterruptedException {
    Map<String, RegionSpec> regions = store.regions();
    Map<String, String> evidence = switch (d) {
      case Decision.Shift s -> s.evidence();
      case Decision.EnterOutage o -> o.evidence();
      case Decision.LeaveOutage l -> l.evidence();
      case Decision.HoldStill h -> h.evidence();
      default -> Map.of();
    };
    if (!d.actionable()) {
      String line = d.getClass().getSimpleName() + ": " + d.reason();
      if (!(d instanceof Decision.NoChange) && !line.equals(lastNoted)) {
        lastNoted = line; // a standing recommendation or hold is recorded once, not every tick
        note(e, HistoryKind.DECISION, "", principal, line, d.reason(), evidence);
        log.warn("[epoch={}] ALERT {}", e, line);
      }
      return Optional.empty();
    }
    lastNoted = "";
    Plan plan = newPlan(e, target(order(d), regions), d.reason(), principal, automatic);
    if (dryRun) {
      return Optional.of(plan);
    }
    note(e, HistoryKind.DECISION, plan.id(), principal, d.getClass().getSimpleName() + ": " + plan.description(),
        d.reason(), evidence);
    return Optional.of(run(e, plan, evidence));
  }

  private Plan newPlan(long e, TrafficTarget target, String reason, String principal, boolean automatic) {
    return Plan.create(planIds.get(), e, target, reason, principal, automatic, executor.actuatorNames(), clock.instant());
  }

  private void resumeOrRollBack(long e, Plan found, Map<String, RegionSpec> regions)
      throws StateException, InterruptedException {
    boolean routable = found.route().stream()
        .allMatch(edge -> regions.containsKey(edge.regionId()) && regions.get(edge.regionId()).lifecycle().routable());
    if (found.epoch() == e) {
      run(e, found, Map.of()); // our own plan, interrupted (e.g. a tick was cancelled): finish it
      return;
    }
    if (routable) {
      note(e, HistoryKind.DECISION, found.id(), POLICY, "resume plan " + found.id() + " of epoch " + found.epoch(),
          "a plan was in flight when the previous leader stopped; every region it routes to is still routable",
          Map.of("target", found.target().describe()));
      run(e, found.adoptedBy(e), Map.of());
      return;
    }
    store.savePlan(e, found.withState(PlanState.ROLLED_BACK));
    Optional<Versioned<Placement>> committed = store.placement();
    note(e, HistoryKind.DECISION, found.id(), POLICY, "roll back plan " + found.id() + " of epoch " + found.epoch(),
        "it routes to a region that is no longer registered or routable", Map.of("target", found.target().describe()));
    if (committed.isPresent()) {
      // Where to go back to is a routing decision like any other: the policy, with its safety rules,
      // reasons from the committed placement (a region drained since is left, a dead one failed over).
      Decision d = decide.apply(input(committed.get().value(), regions));
      if (d.actionable()) {
        act(e, d, POLICY, committed.get().value().placed(), false);
        return;
      }
      // Nothing to change: the actuators may be half-way through the orphan, so re-apply what was
      // committed, still only to regions in rotation.
      Placement p = committed.get().value();
      List<String> back = p.routed().stream()
          .filter(id -> regions.containsKey(id) && regions.get(id).lifecycle().routable()).toList();
      if (!p.outageMode() && back.isEmpty()) {
        act(e, new Decision.HoldStill("plan " + found.id() + " rolled back, but no region of the committed placement "
            + String.join(" > ", p.routed()) + " is in rotation and the policy moves nothing (" + d.reason() + ")",
            Map.of("plan", found.id())), POLICY, false, false);
        return;
      }
      run(e, newPlan(e, target(back, regions), "roll back " + found.id() + " to the committed placement", POLICY,
          false), Map.of());
    }
  }

  /**
   * The placement the policy reasons on: the committed one, or on a recommend-only replica (no
   * actuator) the latest recommendation, which is never committed.
   */
  public Optional<Versioned<Placement>> placement() throws StateException {
    if (executor.actuates()) {
      return store.placement();
    }
    return store.recommendation().map(r -> new Versioned<>(r.placement(), -1));
  }

  /**
   * Records what a recommend-only replica would do, once per change: nothing is applied, and the
   * deployment's placement stays as it is (status says "recommended, not applied").
   */
  private Plan recommend(long e, Plan plan, Map<String, String> evidence) throws StateException, InterruptedException {
    Instant now = clock.instant();
    List<String> ids = plan.route().stream().map(RegionEdge::regionId).toList();
    Optional<Recommendation> previous = store.recommendation();
    Placement base = previous.map(Recommendation::placement).orElse(Placement.initial(store.regions().values(), now));
    Placement next = ids.isEmpty() ? base.outage(e, now, mover(plan), plan.principal()) : base.routedTo(ids, e, now, mover(plan), plan.principal());
    if (previous.isEmpty() || !previous.get().describe().equals(plan.target().describe())) {
      store.setRecommendation(e, new Recommendation(next, plan.id(), plan.reason(), now));
      note(e, HistoryKind.DECISION, plan.id(), plan.principal(), "recommended, not applied: " + plan.target().describe(),
          plan.reason(), evidence);
      log.warn("[epoch={} plan={}] ALERT recommended, not applied (recommend-only replica): {} ({})", e, plan.id(),
          plan.target().describe(), plan.reason());
    }
    return plan.withState(PlanState.PENDING);
  }

  /** Whether this replica only recommends (it has no actuator). */
  public boolean recommendOnly() {
    return !executor.actuates();
  }

  /** Runs {@code plan} and, if it succeeds, commits the placement it routes to. */
  private Plan run(long e, Plan plan, Map<String, String> evidence) throws StateException, InterruptedException {
    if (!executor.actuates()) {
      return recommend(e, plan, evidence);
    }
    Plan done = executor.execute(plan, e);
    if (done.state() == PlanState.RUNNING && guard.isLeaderAt(e) && laggingPlans.add(done.id())) {
      // Still leading, yet the plan could not finish: an actuator did not apply or read back in time.
      String lagging = done.steps().stream().filter(st -> st.state() != PlanState.SUCCEEDED)
          .map(st -> st.actuator() + (st.error().isEmpty() ? "" : " (" + st.error() + ")")).collect(
              java.util.stream.Collectors.joining(", "));
      note(e, HistoryKind.DECISION, done.id(), POLICY, ACTUATOR_LAGGING + lagging,
          "plan " + done.id() + " to " + done.target().describe() + " is still running; the next pass resumes it",
          Map.of("plan", done.id()));
      log.warn("[epoch={} plan={}] ALERT actuator lagging: {}", e, done.id(), lagging);
    }
    if (done.state() != PlanState.SUCCEEDED) {
      return done;
    }
    claimedAt = e; // a plan that succeeded wrote every actuator under e: they are this term's
    Instant now = clock.instant();
    Optional<Versioned<Placement>> current = store.placement();
    List<String> ids = done.route().stream().map(RegionEdge::regionId).toList();
    Placement base = current.map(Versioned::value).orElse(Placement.initial(store.regions().values(), now));
    Placement next = ids.isEmpty() ? base.outage(e, now, mover(done), done.principal()) : base.routedTo(ids, e, now, mover(done), done.principal());
    store.writePlacement(e, next, current.map(Versioned::version).orElse(-1));
    Map<String, RegionSpec> regions = store.regions();
    for (RegionSpec r : regions.values()) {
      Lifecycle want = ids.isEmpty() || !ids.get(0).equals(r.id())
          ? (r.lifecycle() == Lifecycle.ACTIVE ? Lifecycle.STANDBY : r.lifecycle())
          : (r.lifecycle().routable() ? Lifecycle.ACTIVE : r.lifecycle());
      if (want != r.lifecycle()) {
        store.putRegion(e, r.withLifecycle(want, now));
      }
    }
    note(e, HistoryKind.DECISION, done.id(), done.principal(), "placement committed: " + done.target().describe(),
        done.reason(), evidence);
    log.info("[epoch={} plan={}] placement committed: {}", e, done.id(), done.target().describe());
    return done;
  }

  /**
   * Who moved traffic with {@code plan}: the policy deciding by itself, an operator's action, or
   * neither (the first placement and rollbacks, which the policy makes as {@value #POLICY} but
   * not as a shift of its own: they start no hold-down).
   */
  static Placement.Mover mover(Plan plan) {
    if (plan.automatic()) {
      return Placement.Mover.POLICY;
    }
    return POLICY.equals(plan.principal()) ? Placement.Mover.NONE : Placement.Mover.OPERATOR;
  }

  /** Appends to the history (epoch-checked). */
  public void note(long e, HistoryKind kind, String planId, String principal, String summary, String reason,
      Map<String, String> evidence) throws StateException, InterruptedException {
    store.record(e, HistoryEntry.of(clock.instant(), kind, e, planId, principal, summary, reason, evidence));
  }

  /** The target for routing to {@code order} (empty: outage). */
  public static TrafficTarget target(List<String> order, Map<String, RegionSpec> regions) {
    if (order.isEmpty()) {
      return new TrafficTarget.Outage();
    }
    List<RegionEdge> edges = new ArrayList<>();
    for (String id : order) {
      RegionSpec spec = regions.get(id);
      if (spec == null) {
        throw new IllegalArgumentException("cannot route to unregistered region " + id);
      }
      edges.add(spec.edge());
    }
    return new TrafficTarget.Routed(edges);
  }

  @Override
  public void close() {
    onLost();
    thread.shutdownNow();
  }
}
