package dev.dialtone.controlplane.policy;

import static dev.dialtone.controlplane.policy.World.NOW;
import static dev.dialtone.controlplane.policy.World.threeRegions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.controlplane.model.FailbackMode;
import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Mode;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PlacementPolicyTest {
  final PlacementPolicy policy = new PlacementPolicy();

  record Case(String rule, World world, Class<? extends Decision> kind, List<String> order, String reason) {
    @Override
    public String toString() {
      return rule;
    }
  }

  static Case noChange(String rule, World w, String reason) {
    return new Case(rule, w, Decision.NoChange.class, List.of(), reason);
  }

  static Case shift(String rule, World w, List<String> order, String reason) {
    return new Case(rule, w, Decision.Shift.class, order, reason);
  }

  static Stream<Case> decide() {
    return Stream.of(
        noChange("all healthy: nothing to do", threeRegions(),
            "active east is UP and ready; no preferred region is waiting to take traffic back"),
        shift("confirmed DOWN for failAfter reports: fail over to the best standby",
            threeRegions().down("east", 2), List.of("west", "eu"),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports: failing over to west,"
                + " the best region that is UP and ready"),
        noChange("DOWN but not yet for failAfter reports", threeRegions().down("east", 1),
            "active east reports critical db DOWN in 1 of 2 consecutive reports needed to confirm"),
        shift("never to an unready standby", threeRegions().down("east", 3).notReady("west"), List.of("eu"),
            "active east is confirmed DOWN: critical db DOWN for 3 consecutive reports: failing over to eu,"
                + " the best region that is UP and ready"),
        shift("a healthy standby before a degraded one", threeRegions().down("east", 2).degraded("west", true),
            List.of("eu", "west"),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports: failing over to eu,"
                + " the best region that is UP and ready"),
        shift("a degraded but ready standby rather than outage",
            threeRegions().down("east", 2).degraded("west", true).down("eu", 5), List.of("west"),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports: failing over to west,"
                + " the best region that is DEGRADED and ready"),
        shift("never to a DRAINING region", threeRegions().down("east", 2).lifecycle("west", Lifecycle.DRAINING),
            List.of("eu"),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports: failing over to eu,"
                + " the best region that is UP and ready"),
        new Case("no region can serve: outage mode",
            threeRegions().down("east", 2).down("west", 1).lifecycle("eu", Lifecycle.PROVISIONING),
            Decision.EnterOutage.class, List.of(),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports, and no other region is"
                + " healthy and ready: entering outage mode"),
        new Case("every region silent: the observer is cut off",
            threeRegions().unknown("east").unknown("west").unknown("eu"), Decision.HoldStill.class, List.of(),
            "every region is silent (UNKNOWN) at once: this replica is probably cut off from the agents,"
                + " so nothing moves"),
        noChange("a silent active region without outside confirmation stays", threeRegions().unknown("east"),
            "active east is silent (UNKNOWN) and no other region sees its edge down: silence is not failure"),
        shift("a silent active region whose edge others see DOWN is failed over",
            threeRegions().unknown("east", "west", "eu"), List.of("west", "eu"),
            "active east is silent and its edge is seen DOWN from eu, west: failing over to west,"
                + " the best region that is UP and ready"),
        noChange("one observer of the two others is no quorum",
            threeRegions().unknown("east", "west"),
            "active east is silent (UNKNOWN) and only west of the 2 other regions needed (policy.vantageQuorum) see"
                + " its edge down: silence is not failure yet"),
        shift("a quorum set to one takes one observer",
            threeRegions().vantageQuorum(1).unknown("east", "west"), List.of("west", "eu"),
            "active east is silent and its edge is seen DOWN from west: failing over to west,"
                + " the best region that is UP and ready"),
        noChange("no automatic shift inside the hold-down",
            threeRegions().down("east", 2).lastShiftAgo(Duration.ofSeconds(30)),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports, but the hold-down after"
                + " the shift at 2026-11-22T11:59:30Z lasts until 2026-11-22T12:00:30Z;"
                + " not shifting to west"),
        shift("the hold-down over, the shift happens",
            threeRegions().down("east", 2).lastShiftAgo(Duration.ofSeconds(60)), List.of("west", "eu"),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports: failing over to west,"
                + " the best region that is UP and ready"),
        noChange("FROZEN mode changes nothing", threeRegions().down("east", 2).mode(Mode.FROZEN),
            "mode is FROZEN: nothing changes"),
        noChange("an active freeze changes nothing",
            threeRegions().down("east", 2).freeze(new FreezeSignal("alice", "carrier maintenance",
                NOW.minusSeconds(60), NOW.plusSeconds(60))),
            "frozen by alice at 2026-11-22T11:59:00Z until 2026-11-22T12:01:00Z (carrier maintenance):"
                + " nothing changes"),
        shift("a lapsed freeze no longer holds",
            threeRegions().down("east", 2).freeze(new FreezeSignal("alice", "maintenance",
                NOW.minusSeconds(60), NOW)), List.of("west", "eu"),
            "active east is confirmed DOWN: critical db DOWN for 2 consecutive reports: failing over to west,"
                + " the best region that is UP and ready"),
        new Case("MANUAL mode recommends", threeRegions().down("east", 2).mode(Mode.MANUAL),
            Decision.Recommend.class, List.of("west", "eu"),
            "mode is MANUAL: recommending, not acting: active east is confirmed DOWN: critical db DOWN for"
                + " 2 consecutive reports: failing over to west, the best region that is UP and ready"),
        noChange("MANUAL mode with nothing to do says so", threeRegions().mode(Mode.MANUAL),
            "active east is UP and ready; no preferred region is waiting to take traffic back"),
        noChange("failback MANUAL: only by hand", threeRegions().routed("west", "east", "eu"),
            "active west is UP and ready; preferred east can serve again, but failback is MANUAL:"
                + " switch over by hand"),
        noChange("automatic failback waits for failbackHealthyFor",
            threeRegions().routed("west", "east", "eu").failback(FailbackMode.AUTOMATIC)
                .healthySince("east", NOW.minus(Duration.ofMinutes(5)), 300),
            "active west is UP and ready; preferred east must be healthy and ready for 10m before failback"
                + " (healthy since 2026-11-22T11:55:00Z)"),
        shift("automatic failback after failbackHealthyFor",
            threeRegions().routed("west", "east", "eu").failback(FailbackMode.AUTOMATIC)
                .healthySince("east", NOW.minus(Duration.ofMinutes(10)), 600), List.of("east", "west", "eu"),
            "failing back to preferred east: healthy and ready since 2026-11-22T11:50:00Z (at least 10m)"),
        noChange("automatic failback respects the hold-down",
            threeRegions().routed("west", "east", "eu").failback(FailbackMode.AUTOMATIC)
                .lastShiftAgo(Duration.ofSeconds(10)),
            "active west is UP and ready; failback to east waits for the hold-down until 2026-11-22T12:00:50Z"),
        noChange("failback never to a degraded preferred region",
            threeRegions().routed("west", "east", "eu").failback(FailbackMode.AUTOMATIC).degraded("east", true),
            "active west is UP and ready; preferred east must be healthy and ready for 10m before failback"
                + " (it is DEGRADED and ready)"),
        new Case("leave outage mode once a region has recovered",
            threeRegions().outage().down("east", 9).healthySince("west", NOW.minusSeconds(3), 3).down("eu", 9),
            Decision.LeaveOutage.class, List.of("west"),
            "leaving outage mode: west has been healthy and ready for 3 consecutive reports"),
        noChange("stay in outage mode until recoverAfter reports",
            threeRegions().outage().down("east", 9).healthySince("west", NOW.minusSeconds(2), 2).down("eu", 9),
            "in outage mode: no region has been healthy and ready for 3 consecutive reports yet"),
        noChange("outage mode ends only by hand without outageAutoExit",
            threeRegions().outage().outageAutoExit(false),
            "in outage mode: east is healthy again, but outageAutoExit is off; leave outage mode by hand"),
        shift("a DRAINING active region is left", threeRegions().lifecycle("east", Lifecycle.DRAINING),
            List.of("west", "eu"), "active east is DRAINING: failing over to west, the best region that is UP and ready"),
        noChange("an unready active region without a confirmed DOWN stays", threeRegions().degraded("east", false),
            "active east is DEGRADED and not ready; no preferred region is waiting to take traffic back"),
        noChange("no regions", emptyWorld(), "no regions are registered"),
        shift("a region healthy for recoverAfter reports joins the standbys", threeRegions().routed("east", "west"),
            List.of("east", "west", "eu"), "active east stays; fallback order west becomes west > eu;"
                + " joining: eu (UP and ready)"),
        shift("the first placement's missing standby joins once it reports", threeRegions().routed("east"),
            List.of("east", "west", "eu"), "active east stays; fallback order (none) becomes west > eu;"
                + " joining: west (UP and ready), eu (UP and ready)"),
        noChange("a region UP for fewer than recoverAfter reports waits to join",
            threeRegions().routed("east", "west").healthySince("eu", NOW.minusSeconds(2), 2),
            "active east is UP and ready; no preferred region is waiting to take traffic back"),
        shift("a standby confirmed DOWN leaves the fallback order", threeRegions().down("eu", 2),
            List.of("east", "west"), "active east stays; fallback order west > eu becomes west;"
                + " leaving: eu (DOWN (critical db DOWN) and not ready)"),
        noChange("a standby DOWN in fewer than failAfter reports stays", threeRegions().down("eu", 1),
            "active east is UP and ready; no preferred region is waiting to take traffic back"),
        shift("a DRAINING standby leaves the fallback order", threeRegions().lifecycle("west", Lifecycle.DRAINING),
            List.of("east", "eu"), "active east stays; fallback order west > eu becomes eu; leaving: west (DRAINING)"),
        shift("standbys change inside the hold-down (the active region does not move)",
            threeRegions().routed("east", "west").lastShiftAgo(Duration.ofSeconds(10)),
            List.of("east", "west", "eu"), "active east stays; fallback order west becomes west > eu;"
                + " joining: eu (UP and ready)"),
        noChange("frozen: standbys do not change either", threeRegions().routed("east").mode(Mode.FROZEN),
            "mode is FROZEN: nothing changes"));
  }

  static World emptyWorld() {
    var w = threeRegions();
    w.regions.clear();
    w.health.clear();
    return w;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void decide(Case c) {
    Decision d = policy.decide(c.world().input());
    assertThat(d).isInstanceOf(c.kind());
    assertThat(d.reason()).isEqualTo(c.reason());
    Decision action = d instanceof Decision.Recommend r ? r.wouldDo() : d;
    List<String> order = switch (action) {
      case Decision.Shift s -> s.order();
      case Decision.LeaveOutage l -> l.order();
      default -> List.of();
    };
    assertThat(order).isEqualTo(c.order());
    if (action.actionable() || action instanceof Decision.HoldStill) {
      assertThat(evidence(action)).containsEntry("region.east", describeEast(c.world()));
    }
  }

  static java.util.Map<String, String> evidence(Decision d) {
    return switch (d) {
      case Decision.Shift s -> s.evidence();
      case Decision.EnterOutage e -> e.evidence();
      case Decision.LeaveOutage l -> l.evidence();
      case Decision.HoldStill h -> h.evidence();
      default -> java.util.Map.of();
    };
  }

  static String describeEast(World w) {
    var spec = w.regions.get("east");
    return spec.lifecycle() + " priority 1, " + PlacementPolicy.describe(w.input().health().region("east"));
  }
}
