package dev.dialtone.controlplane.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.loop.DecisionSource;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanListener;
import dev.dialtone.controlplane.policy.Decision;
import dev.dialtone.controlplane.policy.PolicyInput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times a shift's stages on the leader. Detection: from the first evaluation that saw the active
 * region unhealthy to the decision to move off it (the confirmation window, mostly); decision: the
 * policy's evaluation itself; actuation: from the plan's creation to its end. Also counts plans by
 * outcome. Wraps the decision source the control loop calls, and listens to the plan executor.
 */
public final class ShiftTimings implements PlanListener {
  private final DecisionSource policy;
  private final MetricRegistry metrics;
  private final Timer detection;
  private final Timer decision;
  private final Timer actuation;
  private final Map<String, Instant> unhealthySince = new ConcurrentHashMap<>();
  private final Map<String, Double> lastShift = new ConcurrentHashMap<>();

  public ShiftTimings(MetricRegistry metrics, DecisionSource policy) {
    this.policy = policy;
    this.metrics = metrics;
    this.detection = metrics.timer(ReplicaMetrics.DETECTION_SECONDS.name());
    this.decision = metrics.timer(ReplicaMetrics.DECISION_SECONDS.name());
    this.actuation = metrics.timer(ReplicaMetrics.ACTUATION_SECONDS.name());
    for (String stage : List.of("detection", "decision", "actuation")) {
      metrics.gauge(ReplicaMetrics.LAST_SHIFT.name(stage),
          () -> (Gauge<Double>) () -> lastShift.getOrDefault(stage, Double.NaN));
    }
  }

  /** The policy's decision on {@code in}, timed. */
  public Decision decide(PolicyInput in) {
    for (RegionHealth r : in.health().regions().values()) {
      if (r.healthy()) {
        unhealthySince.remove(r.regionId());
      } else {
        unhealthySince.putIfAbsent(r.regionId(), in.now());
      }
    }
    long start = System.nanoTime();
    Decision d = policy.decide(in);
    long took = System.nanoTime() - start;
    decision.update(took, TimeUnit.NANOSECONDS);
    if (d.actionable()) {
      lastShift.put("decision", took / 1e9);
      String from = switch (d) {
        case Decision.Shift s -> s.from();
        case Decision.EnterOutage o -> in.placement().activeRegion();
        default -> null;
      };
      Instant since = from == null ? null : unhealthySince.get(from);
      if (since != null) {
        Duration detected = Duration.between(since, in.now());
        detection.update(detected);
        lastShift.put("detection", detected.toNanos() / 1e9);
      }
    }
    return d;
  }

  @Override
  public void readBack(Plan plan, String actuator, Instant at) {}

  @Override
  public void ended(Plan plan, Instant at) {
    metrics.counter(ReplicaMetrics.PLANS.name(plan.state().name().toLowerCase(Locale.ROOT))).inc();
    Duration took = Duration.between(plan.createdAt(), at);
    actuation.update(took);
    lastShift.put("actuation", took.toNanos() / 1e9);
  }
}
