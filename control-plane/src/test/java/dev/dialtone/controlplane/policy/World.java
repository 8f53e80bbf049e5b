package dev.dialtone.controlplane.policy;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.controlplane.health.DependencyHealth;
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
import dev.dialtone.proto.v1.DependencyKind;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A policy input built fluently: three healthy regions, east active, by default. */
public final class World {
  public static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));

  final Map<String, RegionSpec> regions = new LinkedHashMap<>();
  final Map<String, RegionHealth> health = new LinkedHashMap<>();
  Placement placement;
  PolicyConfig config = PolicyConfig.defaults();
  Optional<FreezeSignal> freeze = Optional.empty();

  /** east (priority 1, active), west (2), eu (3): all UP, ready, healthy for an hour. */
  public static World threeRegions() {
    var w = new World();
    w.region("east", 1, Lifecycle.ACTIVE).region("west", 2, Lifecycle.STANDBY).region("eu", 3, Lifecycle.STANDBY);
    w.placement = new Placement("east", List.of("west", "eu"), false, 5, LONG_AGO, null);
    return w;
  }

  World region(String id, int priority, Lifecycle lifecycle) {
    regions.put(id, new RegionSpec(id, priority, edge(id), lifecycle, LONG_AGO));
    health.put(id, up(id, LONG_AGO, 100));
    return this;
  }

  static RegionEdge edge(String id) {
    return new RegionEdge(id, List.of("192.0.2.1"), List.of(), URI.create("sip:edge." + id + ".example.com"), null);
  }

  World lifecycle(String id, Lifecycle lifecycle) {
    regions.put(id, regions.get(id).withLifecycle(lifecycle, LONG_AGO));
    return this;
  }

  World health(RegionHealth h) {
    health.put(h.regionId(), h);
    return this;
  }

  public World down(String id, int streak) {
    return health(new RegionHealth(id, RegionStatus.DOWN, false, List.of(dep("db", RegionStatus.DOWN)),
        NOW.minusSeconds(1), null, streak, 0, Set.of()));
  }

  World healthySince(String id, Instant since, int upStreak) {
    return health(up(id, since, upStreak));
  }

  World degraded(String id, boolean ready) {
    return health(new RegionHealth(id, RegionStatus.DEGRADED, ready, List.of(dep("db", RegionStatus.DEGRADED)),
        NOW.minusSeconds(1), null, 0, 0, Set.of()));
  }

  World notReady(String id) {
    return health(new RegionHealth(id, RegionStatus.UP, false, List.of(dep("db", RegionStatus.UP)),
        NOW.minusSeconds(1), null, 0, 0, Set.of()));
  }

  World unknown(String id, String... edgeDownSeenBy) {
    return health(RegionHealth.unknown(id, NOW.minusSeconds(30), Set.of(edgeDownSeenBy)));
  }

  World placement(Placement p) {
    placement = p;
    return this;
  }

  World routed(String active, String... standbys) {
    placement = new Placement(active, List.of(standbys), false, 5, LONG_AGO, placement.lastShiftAt(), placement.operatorChoice());
    return this;
  }

  World outage() {
    placement = new Placement(null, List.of(), true, 5, LONG_AGO, placement.lastShiftAt(), placement.operatorChoice());
    return this;
  }

  World lastShiftAgo(Duration ago) {
    placement = new Placement(placement.activeRegion(), placement.standbys(), placement.outageMode(),
        placement.epoch(), placement.changedAt(), NOW.minus(ago), placement.operatorChoice());
    return this;
  }

  /** The active region was chosen by {@code principal} {@code ago} (which also started the hold-down then). */
  World operatorChose(String principal, Duration ago) {
    placement = new Placement(placement.activeRegion(), placement.standbys(), placement.outageMode(),
        placement.epoch(), placement.changedAt(), NOW.minus(ago),
        new Placement.OperatorChoice(placement.activeRegion(), principal, NOW.minus(ago)));
    return this;
  }

  World manualHoldFor(Duration d) {
    config = new PolicyConfig(config.mode(), config.failAfter(), config.recoverAfter(), config.holdDown(),
        config.failback(), config.failbackHealthyFor(), config.staleAfter(), config.outageAutoExit(),
        config.provisioningHealthyFor(), d);
    return this;
  }

  World vantageQuorum(int quorum) {
    config = config.withVantageQuorum(quorum);
    return this;
  }

  World mode(Mode mode) {
    config = config.withMode(mode);
    return this;
  }

  World failback(FailbackMode mode) {
    config = new PolicyConfig(config.mode(), config.failAfter(), config.recoverAfter(), config.holdDown(), mode,
        config.failbackHealthyFor(), config.staleAfter(), config.outageAutoExit(), config.provisioningHealthyFor(),
        config.manualHoldFor());
    return this;
  }

  World outageAutoExit(boolean on) {
    config = new PolicyConfig(config.mode(), config.failAfter(), config.recoverAfter(), config.holdDown(),
        config.failback(), config.failbackHealthyFor(), config.staleAfter(), on, config.provisioningHealthyFor(),
        config.manualHoldFor());
    return this;
  }

  World freeze(FreezeSignal f) {
    freeze = Optional.of(f);
    return this;
  }

  public PolicyInput input() {
    return new PolicyInput(new HealthSnapshot(NOW, health), placement, regions, config, freeze, NOW);
  }

  static RegionHealth up(String id, Instant since, int upStreak) {
    return new RegionHealth(id, RegionStatus.UP, true, List.of(dep("db", RegionStatus.UP)), NOW.minusSeconds(1),
        since, 0, upStreak, Set.of());
  }

  static DependencyHealth dep(String name, RegionStatus status) {
    return new DependencyHealth(name, DependencyKind.DEPENDENCY_KIND_DB, status, true, Duration.ofMillis(3), "",
        NOW.minusSeconds(1));
  }
}
