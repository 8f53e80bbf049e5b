package dev.dialtone.controlplane.gameday;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.controlplane.health.DependencyHealth;
import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.proto.v1.DependencyKind;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A fluent builder of {@link WorldFrame}s: us-east active, us-west standby, everything UP. */
final class Frames {
  static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  private Instant at = T0;
  private final Map<String, RegionStatus> status = new LinkedHashMap<>(Map.of("us-east", RegionStatus.UP, "us-west", RegionStatus.UP));
  private final Map<String, Boolean> ready = new HashMap<>(Map.of("us-east", true, "us-west", true));
  private RegionStatus llm = RegionStatus.UP;
  private Instant llmAt = T0;
  private Placement placement = new Placement("us-east", List.of("us-west"), false, 1, T0.minusSeconds(3600), null);
  private Plan plan;
  private FreezeSignal freeze;
  private final Map<String, Lifecycle> lifecycles = new HashMap<>(Map.of("us-east", Lifecycle.ACTIVE, "us-west", Lifecycle.STANDBY));

  static Frames world() {
    return new Frames();
  }

  static RegionEdge edge(String region) {
    return new RegionEdge(region, List.of("192.0.2.1"), List.of(), URI.create("sip:edge." + region + ".example.com"), null);
  }

  static Plan plan(String id, Instant createdAt, String... route) {
    TrafficTarget target = route.length == 0 ? new TrafficTarget.Outage()
        : new TrafficTarget.Routed(java.util.Arrays.stream(route).map(Frames::edge).toList());
    return Plan.create(id, 2, target, "us-east DOWN x2", "policy", true, List.of("carrier/kamailio", "dns/rfc2136"), createdAt);
  }

  Frames at(Instant t) {
    at = t;
    return this;
  }

  Frames after(Duration d) {
    return at(T0.plus(d));
  }

  Frames llm(RegionStatus s, Instant receivedAt) {
    llm = s;
    llmAt = receivedAt;
    return this;
  }

  Frames region(String id, RegionStatus s) {
    status.put(id, s);
    return this;
  }

  Frames notReady(String id) {
    ready.put(id, false);
    return this;
  }

  Frames lifecycle(String id, Lifecycle l) {
    lifecycles.put(id, l);
    return this;
  }

  Frames placement(Placement p) {
    placement = p;
    return this;
  }

  Frames active(String region, Instant changedAt, String... standbys) {
    return placement(new Placement(region, List.of(standbys), false, 2, changedAt, changedAt));
  }

  Frames outage(Instant changedAt) {
    return placement(new Placement(null, List.of(), true, 2, changedAt, changedAt));
  }

  Frames plan(Plan p) {
    plan = p;
    return this;
  }

  Frames frozen(Instant until) {
    freeze = new FreezeSignal("alice", "change window", T0.minusSeconds(60), until);
    return this;
  }

  WorldFrame build() {
    Map<String, RegionHealth> health = new HashMap<>();
    Map<String, RegionSpec> regions = new HashMap<>();
    for (var e : status.entrySet()) {
      String id = e.getKey();
      RegionStatus s = e.getValue();
      RegionStatus dep = id.equals("us-east") ? llm : (s == RegionStatus.DOWN ? RegionStatus.DOWN : RegionStatus.UP);
      Instant depAt = id.equals("us-east") ? llmAt : at;
      List<DependencyHealth> deps = s == RegionStatus.UNKNOWN ? List.of()
          : List.of(new DependencyHealth("llm", DependencyKind.DEPENDENCY_KIND_LLM, dep, true, Duration.ofMillis(20),
              dep == RegionStatus.UP ? "" : "timed out after 1s", depAt));
      health.put(id, new RegionHealth(id, s, s != RegionStatus.UNKNOWN && ready.get(id), deps,
          s == RegionStatus.UNKNOWN ? null : at.minusMillis(100), null, s == RegionStatus.DOWN ? 2 : 0, 0, Set.of()));
      regions.put(id, new RegionSpec(id, id.equals("us-east") ? 1 : 2, edge(id), lifecycles.getOrDefault(id, Lifecycle.STANDBY), T0));
    }
    return new WorldFrame(at, new HealthSnapshot(at, health), regions, Optional.ofNullable(placement),
        Optional.ofNullable(plan), Optional.ofNullable(freeze));
  }
}
