package dev.dialtone.controlplane.gameday;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.controlplane.health.DependencyHealth;
import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns successive {@link WorldFrame}s and plan read-backs into a drill's observed timeline
 * events, once each, with the time they happened. Pure (no I/O, no clock); not thread-safe.
 *
 * <ul>
 *   <li>FIRST_FAILED_PROBE: the target dependency of the target region first reported DOWN or
 *       DEGRADED (at the report's arrival).
 *   <li>REGION_DOWN: the target region's aggregate turned DOWN (at its last report).
 *   <li>DECISION: a plan not seen before appeared (at its creation).
 *   <li>CARRIER_SHIFTED / DNS_SHIFTED: a {@code carrier*} / {@code dns*} actuator was read back
 *       routing a plan whose active region is not the target (at the read-back).
 *   <li>OUTAGE_MODE_ENTERED: the placement went into outage mode (at the placement's change).
 *   <li>INCIDENT_ELSEWHERE: another registered region turned DOWN.
 *   <li>FAILED_BACK: the target region, active when the drill started, is active again after
 *       traffic left it (at the placement's change).
 *   <li>PLAN_RESUMED / PLAN_ROLLED_BACK (a run resumed after its leader was lost): the plan that was
 *       in flight is about to act again under this leader / was marked ROLLED_BACK.
 * </ul>
 *
 * A drill on every region ({@code all}) is an outage drill: FIRST_FAILED_PROBE is the first
 * region's, REGION_DOWN comes when every region is DOWN, CARRIER_SHIFTED / DNS_SHIFTED when an
 * actuator reads back outage mode, FAILED_BACK when traffic is routed to a region again after
 * outage mode; no other region can have an incident.
 *
 * What was already true in the first frame is the baseline, not an event.
 */
public final class DrillObserver {
  private final String region;
  private final String dependency;
  private final boolean targetWasActive;
  private boolean probeFailed;
  private boolean regionDown;
  private String lastPlanId;
  private boolean outage;
  private boolean trafficLeft;
  private boolean failedBack;
  private boolean carrierShifted;
  private boolean dnsShifted;
  private final Set<String> downElsewhere = new HashSet<>();
  private final boolean everyRegion;
  private String inFlight = "";
  private boolean inFlightSettled;

  private DrillObserver(String region, String dependency, WorldFrame baseline) {
    this.region = region;
    this.dependency = dependency;
    this.everyRegion = dev.dialtone.chaos.drill.DrillDefinition.EVERY_REGION.equals(region);
    this.targetWasActive = everyRegion ? baseline.activeRegion().isPresent()
        : baseline.activeRegion().filter(region::equals).isPresent();
    this.lastPlanId = baseline.plan().map(Plan::id).orElse("");
    observe(baseline); // absorb what is already true
  }

  /** An observer of a drill on {@code dependency} of {@code region}, from {@code baseline}. */
  public static DrillObserver startingAt(String region, String dependency, WorldFrame baseline) {
    return new DrillObserver(region, dependency, baseline);
  }

  /**
   * An observer for a run resumed after its leader was lost, which watches {@code planInFlight}
   * (empty: none) be resumed or rolled back by this leader.
   */
  public static DrillObserver resuming(String region, String dependency, WorldFrame baseline, String planInFlight) {
    DrillObserver o = new DrillObserver(region, dependency, baseline);
    o.inFlight = planInFlight;
    o.rolledBack(baseline).ifPresent(e -> o.pending.add(e)); // already rolled back before this run resumed
    return o;
  }

  private final List<TimelineEvent> pending = new ArrayList<>();

  private Optional<TimelineEvent> rolledBack(WorldFrame frame) {
    if (inFlight.isEmpty() || inFlightSettled) {
      return Optional.empty();
    }
    return frame.plan().filter(p -> p.id().equals(inFlight) && p.state() == dev.dialtone.controlplane.plan.PlanState.ROLLED_BACK)
        .map(p -> {
          inFlightSettled = true;
          return new TimelineEvent(frame.at(), EventKind.PLAN_ROLLED_BACK, "plan " + p.id() + " rolled back at epoch "
              + p.epoch() + " (" + p.description() + ")");
        });
  }

  /** Events for a step of {@code plan} about to act at {@code at}: the plan in flight resumed, once. */
  public List<TimelineEvent> aboutToAct(Plan plan, Instant at) {
    if (inFlight.isEmpty() || inFlightSettled || !plan.id().equals(inFlight)) {
      return List.of();
    }
    inFlightSettled = true;
    return List.of(new TimelineEvent(at, EventKind.PLAN_RESUMED, "plan " + plan.id() + " resumed at epoch " + plan.epoch()
        + ": " + plan.description()));
  }

  /** Events visible in {@code frame} that were not seen before, in the order checked. */
  public List<TimelineEvent> observe(WorldFrame frame) {
    List<TimelineEvent> events = new ArrayList<>(pending);
    pending.clear();
    rolledBack(frame).ifPresent(events::add);
    events.addAll(observeFrame(frame));
    return events;
  }

  private List<TimelineEvent> observeFrame(WorldFrame frame) {
    if (everyRegion) {
      return observeEveryRegion(frame);
    }
    List<TimelineEvent> events = new ArrayList<>();
    RegionHealth target = frame.health().region(region);
    if (!probeFailed) {
      Optional<DependencyHealth> failing = target.dependencies().stream()
          .filter(d -> d.name().equals(dependency))
          .filter(d -> d.status() == RegionStatus.DOWN || d.status() == RegionStatus.DEGRADED)
          .findFirst();
      if (failing.isPresent()) {
        probeFailed = true;
        DependencyHealth d = failing.get();
        events.add(new TimelineEvent(d.receivedAt(), EventKind.FIRST_FAILED_PROBE,
            region + "/" + dependency + " " + d.status() + (d.errorText().isEmpty() ? "" : ": " + d.errorText())));
      }
    }
    if (!regionDown && target.status() == RegionStatus.DOWN) {
      regionDown = true;
      events.add(new TimelineEvent(Optional.ofNullable(target.lastReportAt()).orElse(frame.at()), EventKind.REGION_DOWN,
          region + " DOWN (critical down: " + String.join(", ", target.criticalDown()) + ")"));
    }
    frame.plan().filter(p -> !p.id().equals(lastPlanId)).ifPresent(p -> {
      lastPlanId = p.id();
      events.add(new TimelineEvent(p.createdAt(), EventKind.DECISION,
          "plan " + p.id() + ": " + p.description() + " (" + p.reason() + ")"));
    });
    frame.placement().ifPresent(p -> placement(p, events));
    for (RegionSpec other : frame.regions().values()) {
      if (other.id().equals(region) || other.lifecycle() == Lifecycle.REMOVED) {
        continue;
      }
      RegionHealth h = frame.health().region(other.id());
      if (h.status() != RegionStatus.DOWN) {
        downElsewhere.remove(other.id());
      } else if (downElsewhere.add(other.id())) {
        events.add(new TimelineEvent(Optional.ofNullable(h.lastReportAt()).orElse(frame.at()), EventKind.INCIDENT_ELSEWHERE,
            other.id() + " DOWN (critical down: " + String.join(", ", h.criticalDown()) + ")"));
      }
    }
    return events;
  }

  private List<TimelineEvent> observeEveryRegion(WorldFrame frame) {
    List<TimelineEvent> events = new ArrayList<>();
    List<RegionSpec> live = frame.regions().values().stream().filter(r -> r.lifecycle() != Lifecycle.REMOVED)
        .sorted(RegionSpec.BY_PREFERENCE).toList();
    if (!probeFailed) {
      for (RegionSpec r : live) {
        Optional<DependencyHealth> failing = frame.health().region(r.id()).dependencies().stream()
            .filter(d -> d.name().equals(dependency))
            .filter(d -> d.status() == RegionStatus.DOWN || d.status() == RegionStatus.DEGRADED)
            .findFirst();
        if (failing.isPresent()) {
          probeFailed = true;
          DependencyHealth d = failing.get();
          events.add(new TimelineEvent(d.receivedAt(), EventKind.FIRST_FAILED_PROBE,
              r.id() + "/" + dependency + " " + d.status() + (d.errorText().isEmpty() ? "" : ": " + d.errorText())));
          break;
        }
      }
    }
    if (!regionDown && !live.isEmpty()
        && live.stream().allMatch(r -> frame.health().region(r.id()).status() == RegionStatus.DOWN)) {
      regionDown = true;
      Instant last = live.stream().map(r -> frame.health().region(r.id()).lastReportAt()).filter(java.util.Objects::nonNull)
          .max(Instant::compareTo).orElse(frame.at());
      events.add(new TimelineEvent(last, EventKind.REGION_DOWN, "every region DOWN ("
          + String.join(", ", live.stream().map(RegionSpec::id).toList()) + ")"));
    }
    frame.plan().filter(p -> !p.id().equals(lastPlanId)).ifPresent(p -> {
      lastPlanId = p.id();
      events.add(new TimelineEvent(p.createdAt(), EventKind.DECISION,
          "plan " + p.id() + ": " + p.description() + " (" + p.reason() + ")"));
    });
    frame.placement().ifPresent(p -> {
      if (p.outageMode() && !outage) {
        events.add(new TimelineEvent(p.changedAt(), EventKind.OUTAGE_MODE_ENTERED, "placement in outage mode"));
        trafficLeft = true;
      }
      outage = p.outageMode();
      if (!p.outageMode() && trafficLeft && !failedBack) {
        failedBack = true;
        events.add(new TimelineEvent(p.changedAt(), EventKind.FAILED_BACK, "out of outage mode: " + p.activeRegion()
            + " active again"));
      }
    });
    return events;
  }

  private void placement(Placement p, List<TimelineEvent> events) {
    if (p.outageMode() && !outage) {
      events.add(new TimelineEvent(p.changedAt(), EventKind.OUTAGE_MODE_ENTERED, "placement in outage mode"));
    }
    outage = p.outageMode();
    boolean targetActive = !p.outageMode() && region.equals(p.activeRegion());
    if (targetWasActive && !targetActive) {
      trafficLeft = true;
    } else if (targetActive && trafficLeft && !failedBack) {
      failedBack = true;
      events.add(new TimelineEvent(p.changedAt(), EventKind.FAILED_BACK, region + " active again"));
    }
  }

  /** Events for one actuator read back routing {@code plan} (see {@code PlanListener}). */
  public List<TimelineEvent> readBack(Plan plan, String actuator, Instant at) {
    List<RegionEdge> route = plan.route();
    if (everyRegion) {
      if (!route.isEmpty()) {
        return List.of(); // routing to a region: not the shift an outage drill waits for
      }
      if (actuator.startsWith("carrier") && !carrierShifted) {
        carrierShifted = true;
        return List.of(new TimelineEvent(at, EventKind.CARRIER_SHIFTED, actuator + " reads back OUTAGE (fallback chain)"));
      }
      if (actuator.startsWith("dns") && !dnsShifted) {
        dnsShifted = true;
        return List.of(new TimelineEvent(at, EventKind.DNS_SHIFTED, actuator + " reads back OUTAGE"));
      }
      return List.of();
    }
    if (route.isEmpty() || route.get(0).regionId().equals(region)) {
      return List.of(); // outage mode, or traffic going to (not away from) the target
    }
    String routing = plan.target().describe();
    if (actuator.startsWith("carrier") && !carrierShifted) {
      carrierShifted = true;
      return List.of(new TimelineEvent(at, EventKind.CARRIER_SHIFTED, actuator + " reads back " + routing));
    }
    if (actuator.startsWith("dns") && !dnsShifted) {
      dnsShifted = true;
      return List.of(new TimelineEvent(at, EventKind.DNS_SHIFTED, actuator + " reads back " + routing));
    }
    return List.of();
  }
}
