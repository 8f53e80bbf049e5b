package dev.dialtone.controlplane.policy;

import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.model.FailbackMode;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.RegionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The placement policy: a pure function of a {@link PolicyInput} to a {@link Decision} with its
 * reason and evidence, every routing decision checked by {@link SafetyRules}.
 *
 * <p>In order: FROZEN (mode or an active freeze) changes nothing; if every region is silent the
 * observer is probably cut off, so hold still; in outage mode, leave it once a region has
 * recovered (if configured); fail over when the active region is confirmed down (critical
 * dependency DOWN for {@code failAfter} reports, or silent with its edge seen DOWN from another
 * region) to the best standby that can serve, or enter outage mode if none can; fail back to a
 * preferred region after it has been healthy long enough, if failback is automatic. Automatic
 * shifts respect the hold-down; MANUAL mode turns any action into a recommendation.
 */
public final class PlacementPolicy {
  private final SafetyRules safety = new SafetyRules();

  /** What to do now. */
  public Decision decide(PolicyInput in) {
    Optional<String> frozen = frozen(in);
    if (frozen.isPresent()) {
      return new Decision.NoChange(frozen.get() + ": nothing changes");
    }
    if (!in.placement().placed()) {
      // Not even MANUAL mode leaves a deployment routed nowhere: the first placement, health-checked, is made.
      return checked(in, firstPlacement(in), false, null);
    }
    Decision auto = checked(in, automatic(in), true, null);
    if (in.config().mode() == Mode.MANUAL && auto.actionable()) {
      return new Decision.Recommend(auto, "mode is MANUAL: recommending, not acting: " + auto.reason());
    }
    return auto;
  }

  /** An operator's switchover to {@code to}; {@code force} skips only the target-health rule. */
  public Decision manualSwitchover(PolicyInput in, String to, boolean force) {
    Optional<String> frozen = frozen(in);
    if (frozen.isPresent()) {
      return new Decision.NoChange(frozen.get() + ": switchover to " + to + " refused; unfreeze first");
    }
    RegionSpec target = in.regions().get(to);
    if (target == null) {
      return new Decision.NoChange("switchover refused: region " + to + " is not registered");
    }
    if (!target.lifecycle().routable()) {
      return new Decision.NoChange("switchover refused: region " + to + " is " + target.lifecycle()
          + " and cannot take traffic");
    }
    Placement p = in.placement();
    if (!p.outageMode() && to.equals(p.activeRegion())) {
      return new Decision.NoChange("switchover refused: " + to + " is already active");
    }
    RegionHealth h = in.health().region(to);
    if (!h.serving() && !force) {
      return new Decision.NoChange("switchover refused: " + to + " is " + describe(h)
          + "; use force to fail over anyway");
    }
    List<String> order = orderStartingWith(in, to);
    Map<String, String> evidence = evidence(in);
    String how = force && !h.serving() ? "forced failover to " + to + " (health rule skipped: " + describe(h) + ")"
        : (force ? "forced failover to " : "manual switchover to ") + to;
    Decision d = p.outageMode()
        ? new Decision.LeaveOutage(to, order, how + ", leaving outage mode", evidence)
        : new Decision.Shift(p.activeRegion(), to, order, how, evidence);
    return checked(in, d, false, force ? to : null);
  }

  /**
   * An operator turning outage mode on or off. On sends every call to the fallback chain even while
   * regions can serve: that is the operator's explicit override of the outage rule, which binds the
   * policy, and is held against automatic exit for {@code failback.manualHoldFor}. Off routes to the
   * best region that can serve, through the safety rules. Refused while frozen.
   */
  public Decision manualOutage(PolicyInput in, boolean enabled, String reason) {
    Optional<String> frozen = frozen(in);
    if (frozen.isPresent()) {
      return new Decision.NoChange(frozen.get() + ": outage mode " + (enabled ? "on" : "off") + " refused; unfreeze first");
    }
    Placement p = in.placement();
    if (enabled == p.outageMode()) {
      return new Decision.NoChange("outage mode is already " + (enabled ? "on" : "off"));
    }
    if (enabled) {
      return new Decision.EnterOutage("outage mode on by hand: " + reason, evidence(in));
    }
    List<String> serving = servingByPreference(in, null);
    if (serving.isEmpty()) {
      return new Decision.NoChange("outage mode off refused: no registered region is healthy and ready to route to");
    }
    String to = serving.get(0);
    return checked(in, new Decision.LeaveOutage(to, orderStartingWith(in, to), "outage mode off by hand: " + reason
        + "; routing to " + to + ", the best region that is " + describe(in.health().region(to)), evidence(in)),
        false, null);
  }

  /**
   * Taking {@code id} out of every routing before it is marked DRAINING: the active region is
   * switched over to the best other region that can serve, a standby leaves the fallback order. The
   * plan is checked against the deployment as it will be (the region draining), so it can route to
   * nothing that is not in rotation. {@link Decision.NoChange} if {@code id} is not routed; refused
   * while frozen.
   */
  public Decision drain(PolicyInput in, String id) {
    Optional<String> frozen = frozen(in);
    if (frozen.isPresent()) {
      return new Decision.NoChange(frozen.get() + ": drain of " + id + " refused; unfreeze first");
    }
    RegionSpec spec = in.regions().get(id);
    Placement p = in.placement();
    if (spec == null || !p.routed().contains(id)) {
      return new Decision.NoChange(id + " is not routed: nothing to take it out of");
    }
    var regions = new java.util.LinkedHashMap<>(in.regions());
    regions.put(id, spec.withLifecycle(Lifecycle.DRAINING, in.now()));
    PolicyInput after = new PolicyInput(in.health(), p, regions, in.config(), in.freeze(), in.now());
    if (id.equals(p.activeRegion())) {
      List<String> targets = servingByPreference(after, id);
      if (targets.isEmpty()) {
        return new Decision.NoChange("drain of " + id + " refused: it is active and no other region is healthy and"
            + " ready to switch over to");
      }
      String to = targets.get(0);
      return checked(after, new Decision.Shift(id, to, targets, "switchover to " + to + " before draining " + id
          + ": " + to + " is the best other region that is " + describe(in.health().region(to)), evidence(in)), false, null);
    }
    List<String> order = new ArrayList<>();
    order.add(p.activeRegion());
    // The standbys that stay are those that can serve: the plan routes to nothing else.
    servingByPreference(after, p.activeRegion()).stream().filter(p.standbys()::contains).forEach(order::add);
    return checked(after, new Decision.Shift(p.activeRegion(), p.activeRegion(), order, "take " + id
        + " out of the fallback order before draining it: " + fallback(p.standbys()) + " becomes "
        + fallback(order.subList(1, order.size())), evidence(in)), false, null);
  }

  /** Lifecycle moves due now: PROVISIONING regions healthy for {@code provisioningHealthyFor} become STANDBY. */
  public List<LifecycleChange> lifecycleChanges(PolicyInput in) {
    if (frozen(in).isPresent()) {
      return List.of();
    }
    var out = new ArrayList<LifecycleChange>();
    in.regions().values().stream().sorted(RegionSpec.BY_PREFERENCE).forEach(spec -> {
      RegionHealth h = in.health().region(spec.id());
      if (spec.lifecycle() == Lifecycle.PROVISIONING && h.healthy() && h.healthySince() != null
          && !in.now().isBefore(h.healthySince().plus(in.config().provisioningHealthyFor()))) {
        out.add(new LifecycleChange(spec.id(), Lifecycle.PROVISIONING, Lifecycle.STANDBY,
            spec.id() + " has been healthy and ready since " + h.healthySince() + " (at least "
                + text(in.config().provisioningHealthyFor()) + "): promoting to STANDBY"));
      }
    });
    return List.copyOf(out);
  }

  private Decision checked(PolicyInput in, Decision d, boolean automatic, String forcedTarget) {
    return safety.violation(in, d, automatic, forcedTarget)
        .<Decision>map(v -> new Decision.NoChange("safety rule refused \"" + d.reason() + "\": " + v))
        .orElse(d);
  }

  /** Why the deployment is frozen now (FROZEN mode or an active freeze), or empty. */
  public static Optional<String> frozen(PolicyInput in) {
    if (in.config().mode() == Mode.FROZEN) {
      return Optional.of("mode is FROZEN");
    }
    return in.freeze().filter(f -> f.activeAt(in.now())).map(PlacementPolicy::describe);
  }

  private Decision automatic(PolicyInput in) {
    List<RegionSpec> live = in.regions().values().stream()
        .filter(r -> r.lifecycle() != Lifecycle.REMOVED).sorted(RegionSpec.BY_PREFERENCE).toList();
    if (live.isEmpty()) {
      return new Decision.NoChange("no regions are registered");
    }
    if (live.stream().allMatch(r -> in.health().region(r.id()).status() == RegionStatus.UNKNOWN)) {
      return new Decision.HoldStill("every region is silent (UNKNOWN) at once: this replica is probably cut off"
          + " from the agents, so nothing moves", evidence(in));
    }
    return in.placement().outageMode() ? inOutage(in) : routed(in);
  }

  /**
   * Where traffic goes first: the most preferred region that can serve; nothing yet while every
   * region is silent (no agent has reported); outage mode if regions have reported and none can serve.
   */
  private Decision firstPlacement(PolicyInput in) {
    List<RegionSpec> live = in.regions().values().stream()
        .filter(r -> r.lifecycle() != Lifecycle.REMOVED).sorted(RegionSpec.BY_PREFERENCE).toList();
    if (live.isEmpty()) {
      return new Decision.NoChange("no regions are registered: no first placement");
    }
    List<String> serving = servingByPreference(in, null);
    if (!serving.isEmpty()) {
      String to = serving.get(0);
      return new Decision.Shift(in.placement().outageMode() ? to : in.placement().activeRegion(), to,
          orderStartingWith(in, to), "first placement of the deployment: " + to + " is the most preferred region that is "
              + describe(in.health().region(to)), evidence(in));
    }
    if (live.stream().allMatch(r -> in.health().region(r.id()).status() == RegionStatus.UNKNOWN)) {
      return new Decision.HoldStill("no region has reported yet: the first placement waits until one is healthy and"
          + " ready", evidence(in));
    }
    // Regions still coming up (silent, or reporting but not ready yet) are not failures: outage mode
    // is for regions that reported DOWN, not for a deployment starting.
    List<String> starting = live.stream().map(RegionSpec::id).filter(id -> in.health().region(id).status() != RegionStatus.DOWN)
        .toList();
    if (!starting.isEmpty()) {
      return new Decision.HoldStill("no region is healthy and ready yet (" + String.join(", ", starting.stream()
          .map(id -> id + " " + describe(in.health().region(id))).toList()) + "): the first placement waits", evidence(in));
    }
    return new Decision.EnterOutage("first placement of the deployment: every region is DOWN (" + live.stream()
        .map(r -> r.id() + " " + describe(in.health().region(r.id()))).reduce((a, b) -> a + "; " + b).orElse("")
        + "): entering outage mode", evidence(in));
  }

  private Decision inOutage(PolicyInput in) {
    Instant held = operatorHoldUntil(in);
    if (held != null) {
      Placement.OperatorChoice c = in.placement().operatorChoice();
      return new Decision.NoChange("in outage mode by " + c.principal() + "'s hand since " + c.at()
          + ": the policy leaves it alone until " + held + " (failback.manualHoldFor); turn it off by hand to end it sooner");
    }
    List<String> ready = servingByPreference(in, null).stream()
        .filter(id -> in.health().region(id).healthy() && in.health().region(id).upStreak() >= in.config().recoverAfter())
        .toList();
    if (ready.isEmpty()) {
      return new Decision.NoChange("in outage mode: no region has been healthy and ready for "
          + in.config().recoverAfter() + " consecutive reports yet");
    }
    String to = ready.get(0);
    if (!in.config().outageAutoExit()) {
      return new Decision.NoChange("in outage mode: " + to + " is healthy again, but outageAutoExit is off;"
          + " leave outage mode by hand");
    }
    List<String> order = orderStartingWith(in, to);
    return new Decision.LeaveOutage(to, order, "leaving outage mode: " + to + " has been healthy and ready for "
        + in.health().region(to).upStreak() + " consecutive reports", evidence(in));
  }

  private Decision routed(PolicyInput in) {
    String active = in.placement().activeRegion();
    RegionSpec spec = in.regions().get(active);
    RegionHealth h = in.health().region(active);
    String failure = null;
    if (spec == null) {
      failure = "active " + active + " is not registered";
    } else if (!spec.lifecycle().routable()) {
      failure = "active " + active + " is " + spec.lifecycle();
    } else if (h.status() == RegionStatus.DOWN) {
      if (h.downStreak() < in.config().failAfter()) {
        return new Decision.NoChange("active " + active + " reports critical " + deps(h) + " DOWN in "
            + h.downStreak() + " of " + in.config().failAfter() + " consecutive reports needed to confirm");
      }
      failure = "active " + active + " is confirmed DOWN: critical " + deps(h) + " DOWN for " + h.downStreak()
          + " consecutive reports";
    } else if (h.status() == RegionStatus.UNKNOWN) {
      if (h.edgeDownSeenBy().isEmpty()) {
        return new Decision.NoChange("active " + active + " is silent (UNKNOWN) and no other region sees its edge"
            + " down: silence is not failure");
      }
      // One observer's own network trouble must not move everyone: a quorum of the other regions.
      int others = (int) in.regions().values().stream()
          .filter(r -> !r.id().equals(active) && r.lifecycle() != Lifecycle.REMOVED).count();
      int quorum = in.config().vantageQuorumOf(others);
      if (h.edgeDownSeenBy().size() < quorum) {
        return new Decision.NoChange("active " + active + " is silent (UNKNOWN) and only " + sorted(h.edgeDownSeenBy())
            + " of the " + quorum + " other regions needed (policy.vantageQuorum) see its edge down: silence is not"
            + " failure yet");
      }
      failure = "active " + active + " is silent and its edge is seen DOWN from " + sorted(h.edgeDownSeenBy());
    }
    return failure != null ? failOver(in, failure) : maybeFailBack(in, spec, h);
  }

  private Decision failOver(PolicyInput in, String failure) {
    String active = in.placement().activeRegion();
    List<String> targets = servingByPreference(in, active);
    if (targets.isEmpty()) {
      return new Decision.EnterOutage(failure + ", and no other region is healthy and ready: entering outage mode",
          evidence(in));
    }
    Instant until = SafetyRules.holdDownUntil(in);
    if (until != null) {
      return new Decision.NoChange(failure + ", but the hold-down after the shift at "
          + in.placement().lastShiftAt() + " lasts until " + until + "; not shifting to " + targets.get(0));
    }
    String to = targets.get(0);
    return new Decision.Shift(active, to, targets, failure + ": failing over to " + to + ", the best region that is "
        + describe(in.health().region(to)), evidence(in));
  }

  private Decision maybeFailBack(PolicyInput in, RegionSpec activeSpec, RegionHealth activeHealth) {
    String active = activeSpec.id();
    String keep = "active " + active + " is " + describe(activeHealth);
    Optional<RegionSpec> preferred = in.regions().values().stream()
        .filter(r -> RegionSpec.BY_PREFERENCE.compare(r, activeSpec) < 0 && SafetyRules.canServe(in, r.id()))
        .min(RegionSpec.BY_PREFERENCE);
    if (preferred.isEmpty()) {
      return refreshStandbys(in, keep + "; no preferred region is waiting to take traffic back");
    }
    String to = preferred.get().id();
    RegionHealth h = in.health().region(to);
    if (in.config().failback() == FailbackMode.MANUAL) {
      return refreshStandbys(in, keep + "; preferred " + to + " can serve again, but failback is MANUAL:"
          + " switch over by hand");
    }
    Duration need = in.config().failbackHealthyFor();
    if (!h.healthy() || h.healthySince() == null || in.now().isBefore(h.healthySince().plus(need))) {
      return refreshStandbys(in, keep + "; preferred " + to + " must be healthy and ready for " + text(need)
          + " before failback (" + (h.healthySince() == null ? "it is " + describe(h)
              : "healthy since " + h.healthySince()) + ")");
    }
    Instant until = SafetyRules.holdDownUntil(in);
    if (until != null) {
      return refreshStandbys(in, keep + "; failback to " + to + " waits for the hold-down until " + until);
    }
    Instant held = operatorHoldUntil(in);
    if (held != null) {
      Placement.OperatorChoice c = in.placement().operatorChoice();
      return refreshStandbys(in, keep + "; failback to " + to + " leaves " + c.principal() + "'s choice of " + active
          + " (at " + c.at() + ") alone until " + held + " (failback.manualHoldFor); switch over by hand to end it sooner");
    }
    return new Decision.Shift(active, to, orderStartingWith(in, to), "failing back to preferred " + to
        + ": healthy and ready since " + h.healthySince() + " (at least " + text(need) + ")", evidence(in));
  }

  /** Until when automatic failback leaves the operator's choice of the active region alone; {@code null} if it does not. */
  static Instant operatorHoldUntil(PolicyInput in) {
    Placement.OperatorChoice c = in.placement().operatorChoice();
    if (c == null || !java.util.Objects.equals(c.region(), in.placement().activeRegion())) {
      return null;
    }
    Instant until = c.at().plus(in.config().manualHoldFor());
    return in.now().isBefore(until) ? until : null;
  }

  /**
   * The active region stays; the standbys follow health: a region that can serve and has been UP
   * and ready for {@code recoverAfter} reports joins the fallback order, one that is confirmed DOWN
   * (or silent, not ready, draining, removed) leaves it. Confirmation both ways keeps a flapping
   * standby from starting a plan every tick. Otherwise {@code unchanged} holds.
   */
  private Decision refreshStandbys(PolicyInput in, String unchanged) {
    Placement p = in.placement();
    String active = p.activeRegion();
    List<String> standbys = p.standbys();
    var keepSet = new java.util.HashSet<String>();
    for (String id : standbys) {
      RegionHealth h = in.health().region(id);
      boolean unconfirmedDown = h.status() == RegionStatus.DOWN && h.downStreak() < in.config().failAfter();
      RegionSpec spec = in.regions().get(id);
      if (spec != null && spec.lifecycle().routable() && (h.serving() || unconfirmedDown)) {
        keepSet.add(id);
      }
    }
    var joining = new ArrayList<String>();
    for (String id : servingByPreference(in, active)) {
      if (!keepSet.contains(id) && in.health().region(id).upStreak() >= in.config().recoverAfter()) {
        joining.add(id);
      }
    }
    List<String> leaving = standbys.stream().filter(id -> !keepSet.contains(id)).toList();
    if (joining.isEmpty() && leaving.isEmpty()) {
      return new Decision.NoChange(unchanged);
    }
    keepSet.addAll(joining);
    List<String> order = new ArrayList<>();
    order.add(active);
    // A plan runs anyway: it routes to serving regions only (an unconfirmed DOWN standby rejoins later).
    servingByPreference(in, active).stream().filter(keepSet::contains).forEach(order::add);
    String why = "active " + active + " stays; fallback order " + fallback(standbys) + " becomes "
        + fallback(order.subList(1, order.size()))
        + (joining.isEmpty() ? "" : "; joining: " + String.join(", ", joining.stream().map(id -> whyStandby(in, id)).toList()))
        + (leaving.isEmpty() ? "" : "; leaving: " + String.join(", ", leaving.stream().map(id -> whyStandby(in, id)).toList()));
    return new Decision.Shift(active, active, order, why, evidence(in));
  }

  private static String fallback(List<String> standbys) {
    return standbys.isEmpty() ? "(none)" : String.join(" > ", standbys);
  }

  /** {@code id (why)}: its lifecycle when out of rotation, else its health. */
  private static String whyStandby(PolicyInput in, String id) {
    RegionSpec spec = in.regions().get(id);
    return id + " (" + (spec != null && !spec.lifecycle().routable() ? spec.lifecycle().toString()
        : describe(in.health().region(id))) + ")";
  }

  /** {@code first}, then every other region that can serve, by preference. */
  private static List<String> orderStartingWith(PolicyInput in, String first) {
    var order = new ArrayList<String>();
    order.add(first);
    servingByPreference(in, first).forEach(order::add);
    return List.copyOf(order);
  }

  /** Regions that can serve, except {@code excluded}: healthy (UP) ones first, then degraded; by preference. */
  private static List<String> servingByPreference(PolicyInput in, String excluded) {
    return in.regions().values().stream()
        .filter(r -> !r.id().equals(excluded) && SafetyRules.canServe(in, r.id()))
        .sorted(Comparator.<RegionSpec, Boolean>comparing(r -> !in.health().region(r.id()).healthy())
            .thenComparing(RegionSpec.BY_PREFERENCE))
        .map(RegionSpec::id)
        .toList();
  }

  /** Every region's lifecycle and health, plus the placement, for the history. */
  private static Map<String, String> evidence(PolicyInput in) {
    var e = new TreeMap<String, String>();
    Placement p = in.placement();
    e.put("placement", p.outageMode() ? "OUTAGE" : String.join(" > ", p.routed()));
    e.put("placement.epoch", Long.toString(p.epoch()));
    if (p.lastShiftAt() != null) {
      e.put("placement.lastShiftAt", p.lastShiftAt().toString());
    }
    if (p.operatorChoice() != null) {
      e.put("placement.operatorChoice", p.operatorChoice().region() + " by " + p.operatorChoice().principal() + " at "
          + p.operatorChoice().at());
    }
    in.regions().values().forEach(r -> e.put("region." + r.id(),
        r.lifecycle() + " priority " + r.priority() + ", " + describe(in.health().region(r.id()))));
    return e;
  }

  /** A region's health in words, e.g. {@code DOWN (critical db DOWN), ready}. */
  static String describe(RegionHealth h) {
    var s = new StringBuilder(h.status().name());
    if (h.status() == RegionStatus.DOWN) {
      s.append(" (critical ").append(deps(h)).append(" DOWN)");
    }
    if (h.status() != RegionStatus.UNKNOWN) {
      s.append(h.ready() ? " and ready" : " and not ready");
    }
    if (!h.edgeDownSeenBy().isEmpty()) {
      s.append(", edge seen DOWN from ").append(sorted(h.edgeDownSeenBy()));
    }
    return s.toString();
  }

  private static String describe(FreezeSignal f) {
    return "frozen by " + f.principal() + " at " + f.at() + (f.until() == null ? "" : " until " + f.until())
        + " (" + f.reason() + ")";
  }

  private static String deps(RegionHealth h) {
    List<String> down = h.criticalDown();
    return down.isEmpty() ? "dependencies" : String.join(", ", down.stream().sorted().toList());
  }

  private static String sorted(java.util.Collection<String> ids) {
    return String.join(", ", ids.stream().sorted().toList());
  }

  private static String text(Duration d) {
    return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }
}
