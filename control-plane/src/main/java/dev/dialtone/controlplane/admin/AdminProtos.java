package dev.dialtone.controlplane.admin;

import com.google.protobuf.Timestamp;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.controlplane.health.DependencyHealth;
import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanStep;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.FreezeInfo;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.HistoryKind;
import dev.dialtone.proto.v1.PlanState;
import dev.dialtone.proto.v1.PlanSummary;
import dev.dialtone.proto.v1.RegionLifecycle;
import dev.dialtone.proto.v1.RegionStatus;
import java.net.URI;
import java.time.Instant;

/** Conversions between the control plane's records and the {@code dialtone.v1} admin messages. */
final class AdminProtos {
  private AdminProtos() {}

  static Timestamp timestamp(Instant at) {
    return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static dev.dialtone.proto.v1.Mode mode(Mode mode) {
    return switch (mode) {
      case AUTO -> dev.dialtone.proto.v1.Mode.MODE_AUTO;
      case MANUAL -> dev.dialtone.proto.v1.Mode.MODE_MANUAL;
      case FROZEN -> dev.dialtone.proto.v1.Mode.MODE_FROZEN;
    };
  }

  static FreezeInfo freeze(FreezeSignal f) {
    FreezeInfo.Builder b = FreezeInfo.newBuilder().setPrincipal(f.principal()).setReason(f.reason()).setAt(timestamp(f.at()));
    if (f.until() != null) {
      b.setUntil(timestamp(f.until()));
    }
    return b.build();
  }

  static dev.dialtone.proto.v1.Recommendation recommendation(dev.dialtone.controlplane.model.Recommendation r) {
    return dev.dialtone.proto.v1.Recommendation.newBuilder().setPlacement(placement(r.placement(), -1))
        .setPlanId(r.planId()).setReason(r.reason()).setAt(timestamp(r.at())).build();
  }

  static dev.dialtone.proto.v1.Placement placement(Placement p, int version) {
    dev.dialtone.proto.v1.Placement.Builder b = dev.dialtone.proto.v1.Placement.newBuilder()
        .addAllStandbyRegions(p.standbys()).setOutageMode(p.outageMode()).setVersion(version).setEpoch(p.epoch())
        .setChangedAt(timestamp(p.changedAt()));
    if (p.activeRegion() != null) {
      b.setActiveRegion(p.activeRegion());
    }
    return b.build();
  }

  static RegionLifecycle lifecycle(Lifecycle l) {
    return switch (l) {
      case PROVISIONING -> RegionLifecycle.REGION_LIFECYCLE_PROVISIONING;
      case STANDBY -> RegionLifecycle.REGION_LIFECYCLE_STANDBY;
      case ACTIVE -> RegionLifecycle.REGION_LIFECYCLE_ACTIVE;
      case DRAINING -> RegionLifecycle.REGION_LIFECYCLE_DRAINING;
      case REMOVED -> RegionLifecycle.REGION_LIFECYCLE_REMOVED;
    };
  }

  static HealthStatus health(dev.dialtone.controlplane.health.RegionStatus s) {
    return switch (s) {
      case UP -> HealthStatus.HEALTH_STATUS_UP;
      case DEGRADED -> HealthStatus.HEALTH_STATUS_DEGRADED;
      case DOWN -> HealthStatus.HEALTH_STATUS_DOWN;
      case UNKNOWN -> HealthStatus.HEALTH_STATUS_UNSPECIFIED;
    };
  }

  static RegionStatus region(RegionSpec spec, RegionHealth h) {
    RegionStatus.Builder b = RegionStatus.newBuilder().setId(spec.id()).setPriority(spec.priority())
        .setLifecycle(lifecycle(spec.lifecycle())).setHealth(health(h.status())).setReady(h.ready())
        .setEdge(edge(spec.edge()))
        .setReason(spec.lifecycle() + " since " + spec.lifecycleSince() + "; health " + h.status()
            + (h.criticalDown().isEmpty() ? "" : ", critical DOWN: " + String.join(", ", h.criticalDown()))
            + (h.edgeDownSeenBy().isEmpty() ? "" : ", edge DOWN as seen by " + String.join(", ", h.edgeDownSeenBy())));
    if (h.lastReportAt() != null) {
      b.setLastReportAt(timestamp(h.lastReportAt()));
    }
    for (DependencyHealth d : h.dependencies()) {
      b.addDependencies(DependencyResult.newBuilder().setName(d.name()).setKind(d.kind()).setStatus(health(d.status()))
          .setCritical(d.critical()).setErrorText(d.errorText())
          .setLatency(com.google.protobuf.Duration.newBuilder().setSeconds(d.latency().getSeconds()).setNanos(d.latency().getNano())));
    }
    return b.build();
  }

  static dev.dialtone.proto.v1.RegionEdge edge(RegionEdge e) {
    dev.dialtone.proto.v1.RegionEdge.Builder b = dev.dialtone.proto.v1.RegionEdge.newBuilder().addAllIpv4(e.ipv4()).addAllIpv6(e.ipv6());
    if (e.sipUri() != null) {
      b.setSipUri(e.sipUri().toString());
    }
    if (e.cname() != null) {
      b.setCname(e.cname());
    }
    return b.build();
  }

  static RegionEdge edge(String regionId, dev.dialtone.proto.v1.RegionEdge e) {
    return new RegionEdge(regionId, e.getIpv4List(), e.getIpv6List(),
        e.getSipUri().isEmpty() ? null : URI.create(e.getSipUri()), e.getCname().isEmpty() ? null : e.getCname());
  }

  static PlanState planState(dev.dialtone.controlplane.plan.PlanState s) {
    return PlanState.valueOf("PLAN_STATE_" + s.name());
  }

  static PlanSummary plan(Plan p) {
    PlanSummary.Builder b = PlanSummary.newBuilder().setPlanId(p.id()).setEpoch(p.epoch())
        .setDescription(p.description()).setState(planState(p.state()));
    for (PlanStep s : p.steps()) {
      b.addSteps(dev.dialtone.proto.v1.PlanStep.newBuilder().setName(s.name()).setState(planState(s.state()))
          .setError(s.error()).setAttempts(s.attempts()));
    }
    return b.build();
  }

  static dev.dialtone.proto.v1.HistoryEntry history(HistoryEntry e) {
    return dev.dialtone.proto.v1.HistoryEntry.newBuilder().setId(e.id()).setAt(timestamp(e.at()))
        .setKind(HistoryKind.valueOf("HISTORY_KIND_" + e.kind().name())).setEpoch(e.epoch()).setPlanId(e.planId())
        .setPrincipal(e.principal()).setSummary(e.summary()).setReason(e.reason()).putAllEvidence(e.evidence()).build();
  }
}
