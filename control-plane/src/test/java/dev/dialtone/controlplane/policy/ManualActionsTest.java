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
    var in = threeRegions().lastShiftAgo(Duration.ofSeconds(1)).mode(Mode.MANUAL).input();
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
        .lastShiftAgo(Duration.ofSeconds(10)).input();
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

  /** west chosen by alice {@code ago}; east (preferred) healthy for an hour; automatic failback. */
  private static World westChosenByAlice(Duration ago) {
    return threeRegions().routed("west", "east", "eu").failback(dev.dialtone.controlplane.model.FailbackMode.AUTOMATIC)
        .operatorChose("operator/alice", ago);
  }

  @Test
  void automaticFailbackLeavesAnOperatorsSwitchoverAloneForManualHoldFor() {
    // Before the fix a switchover to west was undone by the next tick's failback to east.
    Decision held = policy.decide(westChosenByAlice(Duration.ofMinutes(5)).input());
    assertThat(held).isInstanceOf(Decision.NoChange.class);
    assertThat(held.reason()).isEqualTo("active west is UP and ready; failback to east leaves operator/alice's choice"
        + " of west (at 2026-11-22T11:55:00Z) alone until 2026-11-22T12:55:00Z (failback.manualHoldFor); switch over"
        + " by hand to end it sooner");
    Decision after = policy.decide(westChosenByAlice(Duration.ofMinutes(61)).input());
    assertThat(after).isInstanceOf(Decision.Shift.class);
    assertThat(((Decision.Shift) after).to()).isEqualTo("east");
    assertThat(policy.decide(westChosenByAlice(Duration.ofMinutes(5)).manualHoldFor(Duration.ZERO).input()))
        .as("manualHoldFor 0 holds nothing").isInstanceOf(Decision.Shift.class);
  }

  @Test
  void theHoldDownFollowsAManualShiftTooButAFailureOfTheChosenRegionStillFailsOver() {
    Decision inHoldDown = policy.decide(westChosenByAlice(Duration.ofSeconds(10)).down("west", 2).input());
    assertThat(inHoldDown.reason()).contains("but the hold-down after the shift at 2026-11-22T11:59:50Z lasts until");
    Decision failover = policy.decide(westChosenByAlice(Duration.ofMinutes(5)).down("west", 2).input());
    assertThat(failover).isInstanceOf(Decision.Shift.class);
    assertThat(((Decision.Shift) failover).to()).isEqualTo("east");
  }

  @Test
  void outageModeByHandGoesThroughThePolicyAndAFreeze() {
    Decision on = policy.manualOutage(threeRegions().input(), true, "carrier incident");
    assertThat(on).isInstanceOf(Decision.EnterOutage.class);
    assertThat(on.reason()).isEqualTo("outage mode on by hand: carrier incident");
    var freeze = new FreezeSignal("bob", "incident 42", NOW.minusSeconds(5), null);
    // Before the fix SetOutageMode built its decision directly and ignored a freeze.
    assertThat(policy.manualOutage(threeRegions().freeze(freeze).input(), true, "x").reason())
        .isEqualTo("frozen by bob at 2026-11-22T11:59:55Z (incident 42): outage mode on refused; unfreeze first");
    assertThat(policy.manualOutage(threeRegions().outage().mode(Mode.FROZEN).input(), false, "x").actionable()).isFalse();
    Decision off = policy.manualOutage(threeRegions().outage().down("east", 3).input(), false, "over");
    assertThat(off).isInstanceOf(Decision.LeaveOutage.class);
    assertThat(((Decision.LeaveOutage) off).order()).containsExactly("west", "eu");
    assertThat(policy.manualOutage(threeRegions().outage().down("east", 3).down("west", 3).down("eu", 3).input(), false,
        "over").reason()).isEqualTo("outage mode off refused: no registered region is healthy and ready to route to");
  }

  @Test
  void anOutageEnteredByHandIsNotLeftByThePolicyUntilManualHoldFor() {
    var w = threeRegions().outage().operatorChose("operator/alice", Duration.ofMinutes(5));
    assertThat(policy.decide(w.input()).reason()).startsWith("in outage mode by operator/alice's hand since");
    var later = threeRegions().outage().operatorChose("operator/alice", Duration.ofMinutes(61));
    assertThat(policy.decide(later.input())).isInstanceOf(Decision.LeaveOutage.class);
  }

  @Test
  void drainTakesTheRegionOutOfEveryRoutingThroughTheSafetyRules() {
    Decision standby = policy.drain(threeRegions().input(), "west");
    assertThat(standby).isInstanceOf(Decision.Shift.class);
    assertThat(((Decision.Shift) standby).order()).containsExactly("east", "eu");
    // A standby that cannot serve is left out of the drain's plan too (before: the plan kept it).
    assertThat(((Decision.Shift) policy.drain(threeRegions().down("eu", 1).input(), "west")).order())
        .containsExactly("east");
    Decision active = policy.drain(threeRegions().input(), "east");
    assertThat(active).isInstanceOf(Decision.Shift.class);
    assertThat(((Decision.Shift) active).order()).containsExactly("west", "eu");
    assertThat(policy.drain(threeRegions().down("west", 3).down("eu", 3).input(), "east").reason())
        .isEqualTo("drain of east refused: it is active and no other region is healthy and ready to switch over to");
    var freeze = new FreezeSignal("bob", "incident 42", NOW.minusSeconds(5), null);
    assertThat(policy.drain(threeRegions().freeze(freeze).input(), "west").reason())
        .isEqualTo("frozen by bob at 2026-11-22T11:59:55Z (incident 42): drain of west refused; unfreeze first");
    assertThat(policy.drain(threeRegions().routed("east", "west").input(), "eu").actionable()).isFalse();
  }
}
