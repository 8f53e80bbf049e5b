package dev.dialtone.controlplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.model.FailbackMode;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.controlplane.model.RegionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the placement policy over random views, placements, settings and histories. */
class PlacementPolicyPropertiesTest {
  static final Instant NOW = World.NOW;
  static final List<String> IDS = List.of("r0", "r1", "r2", "r3");

  final PlacementPolicy policy = new PlacementPolicy();

  @Property(tries = 500)
  void decideIsDeterministic(@ForAll("inputs") PolicyInput in) {
    assertThat(policy.decide(in)).isEqualTo(policy.decide(in));
  }

  @Property(tries = 500)
  void frozenChangesNothing(@ForAll("inputs") PolicyInput in) {
    boolean frozen = in.config().mode() == Mode.FROZEN || in.freeze().filter(f -> f.activeAt(in.now())).isPresent();
    if (frozen) {
      assertThat(policy.decide(in)).isInstanceOf(Decision.NoChange.class);
      assertThat(policy.lifecycleChanges(in)).isEmpty();
    }
  }

  @Property(tries = 1000)
  void neverRoutesToARegionThatCannotServe(@ForAll("inputs") PolicyInput in) {
    for (String id : routedBy(action(policy.decide(in)))) {
      assertThat(SafetyRules.canServe(in, id)).as("%s can serve", id).isTrue();
      assertThat(in.regions().get(id).lifecycle().routable()).isTrue();
    }
  }

  @Property(tries = 1000)
  void noAutomaticShiftInsideTheHoldDown(@ForAll("inputs") PolicyInput in) {
    if (action(policy.decide(in)) instanceof Decision.Shift s && !s.from().equals(s.to())) {
      Instant last = in.placement().lastShiftAt();
      assertThat(last == null || !in.now().isBefore(last.plus(in.config().holdDown()))).isTrue();
    }
  }

  @Property(tries = 1000)
  void neverZeroRoutedWhileARegionCanServe(@ForAll("inputs") PolicyInput in) {
    Decision d = action(policy.decide(in));
    boolean anyServing = in.regions().keySet().stream().anyMatch(id -> SafetyRules.canServe(in, id));
    if (d instanceof Decision.EnterOutage) {
      assertThat(anyServing).as("outage mode only when no region can serve").isFalse();
    }
    boolean recovered = in.regions().keySet().stream().anyMatch(id -> SafetyRules.canServe(in, id)
        && in.health().region(id).healthy() && in.health().region(id).upStreak() >= in.config().recoverAfter());
    if (in.placement().outageMode() && recovered && in.config().outageAutoExit() && notFrozen(in)) {
      assertThat(d).isInstanceOf(Decision.LeaveOutage.class);
    }
  }

  @Property(tries = 500)
  void holdsStillOnlyWhenEveryRegionIsSilent(@ForAll("inputs") PolicyInput in) {
    if (policy.decide(in) instanceof Decision.HoldStill) {
      assertThat(in.regions().values()).filteredOn(r -> r.lifecycle() != Lifecycle.REMOVED)
          .allMatch(r -> in.health().region(r.id()).status() == RegionStatus.UNKNOWN);
    }
  }

  @Property(tries = 500)
  void onlyManualModeRecommends(@ForAll("inputs") PolicyInput in) {
    Decision d = policy.decide(in);
    if (in.config().mode() == Mode.MANUAL) {
      assertThat(d.actionable()).isFalse();
    } else {
      assertThat(d).isNotInstanceOf(Decision.Recommend.class);
    }
  }

  @Property(tries = 500)
  void switchoversObeyTheSafetyRules(@ForAll("inputs") PolicyInput in, @ForAll("ids") String to, @ForAll boolean force) {
    Decision d = policy.manualSwitchover(in, to, force);
    for (String id : routedBy(d)) {
      assertThat(in.regions().get(id).lifecycle().routable()).isTrue();
      if (!(force && id.equals(to))) {
        assertThat(SafetyRules.canServe(in, id)).isTrue();
      }
    }
  }

  /** Applies the policy's decisions over a random history and checks the anti-flap and outage invariants. */
  @Property(tries = 200)
  void historiesNeverFlapOrStrandTraffic(
      @ForAll("configs") PolicyConfig config, @ForAll("histories") List<Step> steps) {
    Map<String, RegionSpec> regions = new LinkedHashMap<>();
    for (int i = 0; i < 3; i++) {
      regions.put(IDS.get(i), new RegionSpec(IDS.get(i), i, World.edge(IDS.get(i)),
          i == 0 ? Lifecycle.ACTIVE : Lifecycle.STANDBY, World.LONG_AGO));
    }
    Placement placement = Placement.initial(regions.values(), World.LONG_AGO);
    Instant now = NOW;
    var shiftTimes = new ArrayList<Instant>();
    long epoch = 1;
    for (Step step : steps) {
      now = now.plusSeconds(step.advanceSeconds());
      var health = new HashMap<String, RegionHealth>();
      for (int i = 0; i < 3; i++) {
        health.put(IDS.get(i), health(IDS.get(i), step.regions().get(i), now));
      }
      var in = new PolicyInput(new HealthSnapshot(now, health), placement, regions, config, Optional.empty(), now);
      Decision d = policy.decide(in);
      switch (d) {
        case Decision.Shift s -> {
          if (!s.from().equals(s.to())) {
            shiftTimes.add(now); // a change of standbys alone is not a move the hold-down damps
          }
          placement = placement.routedTo(s.order(), ++epoch, now, Placement.Mover.POLICY, "policy");
        }
        case Decision.LeaveOutage l -> placement = placement.routedTo(l.order(), ++epoch, now, Placement.Mover.POLICY, "policy");
        case Decision.EnterOutage e -> {
          assertThat(regions.keySet()).noneMatch(id -> SafetyRules.canServe(in, id));
          placement = placement.outage(++epoch, now, Placement.Mover.POLICY, "policy");
        }
        default -> { }
      }
      assertThat(placement.outageMode() || !placement.routed().isEmpty()).isTrue();
    }
    for (int i = 1; i < shiftTimes.size(); i++) {
      assertThat(Duration.between(shiftTimes.get(i - 1), shiftTimes.get(i))).isGreaterThanOrEqualTo(config.holdDown());
    }
  }

  static boolean notFrozen(PolicyInput in) {
    return in.config().mode() != Mode.FROZEN && in.freeze().filter(f -> f.activeAt(in.now())).isEmpty();
  }

  static Decision action(Decision d) {
    return d instanceof Decision.Recommend r ? r.wouldDo() : d;
  }

  static List<String> routedBy(Decision d) {
    return switch (d) {
      case Decision.Shift s -> s.order();
      case Decision.LeaveOutage l -> l.order();
      default -> List.of();
    };
  }

  /** One region's generated health. */
  record Gen(RegionStatus status, boolean ready, int downStreak, int upStreak, int healthySecondsAgo, Set<String> seenBy) {}

  /** One step of a history: time passes, every region reports something. */
  record Step(int advanceSeconds, List<Gen> regions) {}

  static RegionHealth health(String id, Gen g, Instant now) {
    Set<String> seen = g.seenBy().stream().filter(s -> !s.equals(id)).collect(Collectors.toSet());
    if (g.status() == RegionStatus.UNKNOWN) {
      return RegionHealth.unknown(id, null, seen);
    }
    boolean healthy = g.status() == RegionStatus.UP && g.ready();
    var dep = World.dep("db", g.status() == RegionStatus.UNKNOWN ? RegionStatus.UP : g.status());
    return new RegionHealth(id, g.status(), g.ready(), List.of(dep), now,
        healthy ? now.minusSeconds(g.healthySecondsAgo()) : null,
        g.status() == RegionStatus.DOWN ? g.downStreak() : 0, healthy ? g.upStreak() : 0, seen);
  }

  @Provide
  Arbitrary<String> ids() {
    return Arbitraries.of("r0", "r1", "r2", "r3", "mars");
  }

  Arbitrary<Gen> gens() {
    return Combinators.combine(
            Arbitraries.of(RegionStatus.class), Arbitraries.of(true, false), Arbitraries.integers().between(1, 4),
            Arbitraries.integers().between(0, 5), Arbitraries.integers().between(0, 1200),
            Arbitraries.subsetOf(IDS))
        .as(Gen::new);
  }

  @Provide
  Arbitrary<PolicyConfig> configs() {
    return Combinators.combine(
            Arbitraries.of(Mode.class), Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(0, 120), Arbitraries.of(FailbackMode.class),
            Arbitraries.integers().between(0, 900), Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 600))
        .as((mode, failAfter, recoverAfter, holdDown, failback, failbackFor, autoExit, provisioning) ->
            new PolicyConfig(mode, failAfter, recoverAfter, Duration.ofSeconds(holdDown), failback,
                Duration.ofSeconds(failbackFor), Duration.ofSeconds(5), autoExit, Duration.ofSeconds(provisioning)));
  }

  @Provide
  Arbitrary<List<Step>> histories() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 40), gens().list().ofSize(3))
        .as(Step::new);
    return step.list().ofMinSize(1).ofMaxSize(40);
  }

  @Provide
  Arbitrary<PolicyInput> inputs() {
    Arbitrary<List<Lifecycle>> lifecycles = Arbitraries.of(Lifecycle.class).list().ofMinSize(1).ofMaxSize(4);
    Arbitrary<List<Integer>> priorities = Arbitraries.integers().between(0, 3).list().ofSize(4);
    Arbitrary<Optional<FreezeSignal>> freezes = Arbitraries.integers().between(-120, 120).injectNull(0.2)
        .map(until -> until == null ? Optional.<FreezeSignal>empty()
            : Optional.of(new FreezeSignal("alice", "why", NOW.minusSeconds(600),
                until == 0 ? null : NOW.plusSeconds(until))))
        .injectDuplicates(0.1);
    Arbitrary<Integer> lastShiftAgo = Arbitraries.integers().between(0, 200).injectNull(0.3);
    return Combinators.combine(lifecycles, priorities, gens().list().ofSize(4), Arbitraries.of(true, false),
            Arbitraries.integers().between(0, 3), Arbitraries.subsetOf(0, 1, 2, 3), configs(),
            Combinators.combine(freezes, lastShiftAgo).as((f, s) -> Map.entry(f, Optional.ofNullable(s))))
        .as((lcs, prios, gens, outage, activeIdx, standbyIdx, config, extra) -> {
          var regions = new LinkedHashMap<String, RegionSpec>();
          var health = new HashMap<String, RegionHealth>();
          for (int i = 0; i < lcs.size(); i++) {
            String id = IDS.get(i);
            regions.put(id, new RegionSpec(id, prios.get(i), World.edge(id), lcs.get(i), World.LONG_AGO));
            health.put(id, health(id, gens.get(i), NOW));
          }
          Instant lastShift = extra.getValue().map(NOW::minusSeconds).orElse(null);
          String active = IDS.get(activeIdx % lcs.size());
          List<String> standbys = standbyIdx.stream().filter(i -> i < lcs.size()).sorted().map(IDS::get)
              .filter(id -> !id.equals(active)).toList();
          Placement placement = outage
              ? new Placement(null, List.of(), true, 3, World.LONG_AGO, lastShift)
              : new Placement(active, standbys, false, 3, World.LONG_AGO, lastShift);
          return new PolicyInput(new HealthSnapshot(NOW, health), placement, regions, config, extra.getKey(), NOW);
        });
  }
}
