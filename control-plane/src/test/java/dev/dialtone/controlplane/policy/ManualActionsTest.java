package dev.dialtone.controlplane.policy;

import static dev.dialtone.controlplane.policy.World.NOW;
import static dev.dialtone.controlplane.policy.World.threeRegions;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.controlplane.model.FreezeSignal;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.Mode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Operator switchovers, lifecycle promotions and the safety rules on their own. */
class ManualActionsTest {
  final PlacementPolicy policy = new PlacementPolicy();
  final SafetyRules safety = new SafetyRules();

  @Test
  void switchoverToAHealthyStandby() {
    Decision d = policy.manualSwitchover(threeRegions().input(), "west", false);
    assertThat(d).isEqualTo(new Decision.Shift("east", "west", List.of("west", "east", "eu"),
        "manual switchover to west", ((Decision.Shift) d).evidence()));
  }

  @Test
  void switchoverIgnoresTheHoldDownAndMode() {
    var in = threeRegions().lastAutomaticShiftAgo(Duration.ofSeconds(1)).mode(Mode.MANUAL).input();
    assertThat(policy.manualSwitchover(in, "eu", false)).isInstanceOf(Decision.Shift.class);
  }

  @Test
  void switchoverRefusals() {
    assertThat(policy.manualSwitchover(threeRegions().input(), "mars", false).reason())
        .isEqualTo("switchover refused: region mars is not registered");
    assertThat(policy.manualSwitchover(threeRegions().lifecycle("eu", Lifecycle.PROVISIONING).input(), "eu", false)
        .reason()).isEqualTo("switchover refused: region eu is PROVISIONING and cannot take traffic");
    assertThat(policy.manualSwitchover(threeRegions().input(), "east", false).reason())
        .isEqualTo("switchover refused: east is already active");
    assertThat(policy.manualSwitchover(threeRegions().down("west", 3).input(), "west", false).reason())
        .isEqualTo("switchover refused: west is DOWN (critical db DOWN) and not ready; use force to fail over anyway");
    assertThat(policy.manualSwitchover(threeRegions().mode(Mode.FROZEN).input(), "west", false).reason())
        .isEqualTo("mode is FROZEN: switchover to west refused; unfreeze first");
    var freeze = new FreezeSignal("bob", "incident 42", NOW.minusSeconds(5), null);
    assertThat(policy.manualSwitchover(threeRegions().freeze(freeze).input(), "west", true).reason())
        .isEqualTo("frozen by bob at 2026-11-22T11:59:55Z (incident 42): switchover to west refused; unfreeze first");
  }

  @Test
  void forceSkipsOnlyTheTargetHealthRule() {
    Decision d = policy.manualSwitchover(threeRegions().down("west", 3).down("eu", 3).input(), "west", true);
    assertThat(d).isInstanceOf(Decision.Shift.class);
    assertThat(d.reason())
        .isEqualTo("forced failover to west (health rule skipped: DOWN (critical db DOWN) and not ready)");
    assertThat(((Decision.Shift) d).order()).as("other unhealthy regions are still left out")
        .containsExactly("west", "east");
    assertThat(policy.manualSwitchover(threeRegions().lifecycle("west", Lifecycle.DRAINING).input(), "west", true)
        .reason()).isEqualTo("switchover refused: region west is DRAINING and cannot take traffic");
  }

  @Test
  void switchoverOutOfOutageModeLeavesIt() {
    Decision d = policy.manualSwitchover(threeRegions().outage().down("east", 4).input(), "eu", false);
    assertThat(d).isInstanceOf(Decision.LeaveOutage.class);
    assertThat(d.reason()).isEqualTo("manual switchover to eu, leaving outage mode");
    assertThat(((Decision.LeaveOutage) d).order()).containsExactly("eu", "west");
  }

  @Test
  void provisioningRegionsArePromotedAfterBeingHealthyLongEnough() {
    var w = threeRegions().region("ap", 4, Lifecycle.PROVISIONING).region("sa", 5, Lifecycle.PROVISIONING)
        .healthySince("ap", NOW.minus(Duration.ofMinutes(5)), 300)
        .healthySince("sa", NOW.minus(Duration.ofMinutes(4)), 240);
    assertThat(policy.lifecycleChanges(w.input())).containsExactly(new LifecycleChange("ap", Lifecycle.PROVISIONING,
        Lifecycle.STANDBY, "ap has been healthy and ready since 2026-11-22T11:55:00Z (at least 5m): promoting to STANDBY"));
    assertThat(policy.lifecycleChanges(w.notReady("ap").input())).isEmpty();
    assertThat(policy.lifecycleChanges(threeRegions().region("ap", 4, Lifecycle.PROVISIONING).mode(Mode.FROZEN)
        .input())).isEmpty();
  }

  @Test
  void safetyRulesNameTheViolation() {
    var in = threeRegions().down("west", 2).lifecycle("eu", Lifecycle.DRAINING)
        .lastAutomaticShiftAgo(Duration.ofSeconds(10)).input();
    var toWest = new Decision.Shift("east", "west", List.of("west"), "r", java.util.Map.of());
    assertThat(safety.violation(in, toWest, false, null))
        .contains("routing to west, which is DOWN (critical db DOWN) and not ready");
    assertThat(safety.violation(in, toWest, false, "west")).isEmpty();
    assertThat(safety.violation(in, new Decision.Shift("east", "eu", List.of("eu"), "r", java.util.Map.of()), false,
        "eu")).contains("routing to eu, which is DRAINING");
    var toEu = new Decision.Shift("west", "east", List.of("east"), "r", java.util.Map.of());
    assertThat(safety.violation(in, toEu, true, null))
        .contains("an automatic shift inside the hold-down (until 2026-11-22T12:00:50Z)");
    assertThat(safety.violation(in, toEu, false, null)).isEmpty();
    var standbysOnly = new Decision.Shift("east", "east", List.of("east"), "r", java.util.Map.of());
    assertThat(safety.violation(in, standbysOnly, true, null)).as("the active region does not move").isEmpty();
    assertThat(safety.violation(in, new Decision.EnterOutage("r", java.util.Map.of()), true, null))
        .contains("outage mode while east can serve");
    assertThat(safety.violation(in, new Decision.Recommend(toWest, "r"), false, null)).isPresent();
    assertThat(safety.violation(in, new Decision.HoldStill("r", java.util.Map.of()), true, null))
        .isEqualTo(Optional.empty());
  }
}
