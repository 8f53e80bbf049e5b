package dev.dialtone.controlplane.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.dialtone.controlplane.health.DependencyHealth;
import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.Versioned;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's state gauges (placement, mode, plan, per-region and per-dependency health), sampled
 * off the scrape path: {@link #sample} reads ZooKeeper and the health view and keeps the values a
 * scrape reads, so a scrape never waits on ZooKeeper and, while ZooKeeper is unreachable, shows the
 * last values read (with {@code dialtone_zookeeper_connected 0} saying so). Series of regions and
 * dependencies that are gone are removed.
 */
public final class ReplicaGauges {
  private static final Logger log = LoggerFactory.getLogger(ReplicaGauges.class);

  private final MetricRegistry metrics;
  private final ZooKeeperStateStore store;
  private final Function<Instant, HealthSnapshot> health;
  private final Mode configuredMode;
  private final Clock clock;
  private final Map<String, Double> values = new ConcurrentHashMap<>();
  private final Set<String> dynamic = new HashSet<>();

  public ReplicaGauges(MetricRegistry metrics, ZooKeeperStateStore store, Function<Instant, HealthSnapshot> health,
      Mode configuredMode, Clock clock) {
    this.metrics = metrics;
    this.store = store;
    this.health = health;
    this.configuredMode = configuredMode;
    this.clock = clock;
    for (Mode m : Mode.values()) {
      register(ReplicaMetrics.MODE.name(m.name()));
    }
    register(ReplicaMetrics.OUTAGE_MODE.name());
    register(ReplicaMetrics.PLAN_IN_FLIGHT.name());
  }

  private void register(String name) {
    values.putIfAbsent(name, Double.NaN);
    metrics.gauge(name, () -> (Gauge<Double>) () -> values.getOrDefault(name, Double.NaN));
  }

  private void set(Set<String> live, String name, double value) {
    live.add(name);
    values.put(name, value);
    if (dynamic.add(name)) {
      register(name);
    }
  }

  /** Reads the state and the health view once; a ZooKeeper read that fails keeps the last values. */
  public synchronized void sample() {
    Instant now = clock.instant();
    Set<String> live = new HashSet<>();
    HealthSnapshot seen = health.apply(now);
    for (RegionHealth r : seen.regions().values()) {
      set(live, ReplicaMetrics.REGION_STATUS.name(r.regionId()), code(r.status()));
      if (r.lastReportAt() != null) {
        set(live, ReplicaMetrics.AGENT_REPORT_AGE.name(r.regionId()),
            Math.max(0, Duration.between(r.lastReportAt(), now).toMillis() / 1000.0));
      }
      for (DependencyHealth d : r.dependencies()) {
        set(live, ReplicaMetrics.DEPENDENCY_STATUS.name(r.regionId(), d.name()), code(d.status()));
        set(live, ReplicaMetrics.DEPENDENCY_LATENCY.name(r.regionId(), d.name()), d.latency().toNanos() / 1e9);
      }
    }
    try {
      Optional<Placement> placement = store.placement().map(Versioned::value);
      for (String region : store.regions().keySet()) {
        set(live, ReplicaMetrics.ACTIVE_REGION.name(region),
            placement.filter(p -> !p.outageMode() && region.equals(p.activeRegion())).isPresent() ? 1 : 0);
      }
      values.put(ReplicaMetrics.OUTAGE_MODE.name(), placement.map(p -> p.outageMode() ? 1.0 : 0.0).orElse(Double.NaN));
      boolean frozen = store.freeze().filter(f -> f.activeAt(now)).isPresent();
      Mode mode = frozen ? Mode.FROZEN : store.modeOverride().orElse(configuredMode);
      for (Mode m : Mode.values()) {
        values.put(ReplicaMetrics.MODE.name(m.name()), m == mode ? 1.0 : 0.0);
      }
      values.put(ReplicaMetrics.PLAN_IN_FLIGHT.name(),
          store.plan().map(Plan::state).filter(s -> s.inFlight()).isPresent() ? 1.0 : 0.0);
    } catch (StateException e) {
      log.debug("metrics sample kept the last state: {}", e.getMessage());
      dynamic.stream().filter(n -> n.startsWith(ReplicaMetrics.ACTIVE_REGION.family() + ".")).forEach(live::add);
    }
    for (String gone : Set.copyOf(dynamic)) {
      if (!live.contains(gone)) {
        dynamic.remove(gone);
        values.remove(gone);
        metrics.remove(gone);
      }
    }
  }

  /** The exported code of a health status (the wire's HealthStatus numbers; 0 for unknown). */
  static double code(RegionStatus status) {
    return switch (status) {
      case UNKNOWN -> 0;
      case UP -> 1;
      case DEGRADED -> 2;
      case DOWN -> 3;
    };
  }
}
