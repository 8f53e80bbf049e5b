package dev.dialtone.controlplane.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  static RegionSpec region(String id, int priority, Lifecycle lifecycle) {
    return new RegionSpec(id, priority, edge(id), lifecycle, T0);
  }

  static RegionEdge edge(String id) {
    return new RegionEdge(id, List.of("192.0.2." + id.length()), List.of(), URI.create("sip:edge." + id + ":5060"), null);
  }

  @Test
  void regionSpecValidation() {
    assertThatThrownBy(() -> new RegionSpec(" ", 1, edge("a"), Lifecycle.STANDBY, T0))
        .hasMessage("region id must not be blank");
    assertThatThrownBy(() -> new RegionSpec("us-east", 1, edge("us-west"), Lifecycle.STANDBY, T0))
        .hasMessage("region us-east: edge belongs to region us-west");
    assertThatThrownBy(() -> new RegionSpec("us-east", -1, edge("us-east"), Lifecycle.STANDBY, T0))
        .hasMessage("region us-east: priority must be >= 0 (was -1)");
    assertThatThrownBy(() -> new RegionSpec("us-east", 1, edge("us-east"), null, T0))
        .hasMessage("region us-east: lifecycle");
    assertThatThrownBy(() -> new RegionSpec("us-east", 1, edge("us-east"), Lifecycle.STANDBY, null))
        .hasMessage("region us-east: lifecycleSince");
  }

  @Test
  void preferenceIsPriorityThenId() {
    var sorted = List.of(region("b", 2, Lifecycle.STANDBY), region("c", 1, Lifecycle.STANDBY),
            region("a", 2, Lifecycle.STANDBY)).stream().sorted(RegionSpec.BY_PREFERENCE).map(RegionSpec::id).toList();
    assertThat(sorted).containsExactly("c", "a", "b");
  }

  @Test
  void onlyStandbyAndActiveAreRoutable() {
    assertThat(List.of(Lifecycle.values()).stream().filter(Lifecycle::routable))
        .containsExactly(Lifecycle.STANDBY, Lifecycle.ACTIVE);
  }

  @Test
  void placementValidation() {
    assertThatThrownBy(() -> new Placement("a", List.of(), true, 1, T0, null))
        .hasMessage("placement: outage mode has no active region (was a)");
    assertThatThrownBy(() -> new Placement(null, List.of(), false, 1, T0, null))
        .hasMessage("placement: an active region is required unless in outage mode");
    assertThatThrownBy(() -> new Placement("a", List.of("b", "a"), false, 1, T0, null))
        .hasMessage("placement: region a listed twice");
    assertThatThrownBy(() -> new Placement("a", List.of(), false, -1, T0, null))
        .hasMessage("placement: epoch must be >= 0 (was -1)");
    assertThatThrownBy(() -> new Placement("a", List.of(), false, 1, null, null))
        .hasMessage("placement: changedAt");
  }

  @Test
  void initialPlacementRoutesRoutableRegionsByPreference() {
    var p = Placement.initial(List.of(region("west", 2, Lifecycle.STANDBY), region("east", 1, Lifecycle.STANDBY),
        region("new", 0, Lifecycle.PROVISIONING), region("eu", 3, Lifecycle.ACTIVE)), T0);
    assertThat(p.routed()).containsExactly("east", "west", "eu");
    assertThat(p.epoch()).isZero();
    assertThat(p.lastShiftAt()).isNull();
    assertThat(Placement.initial(List.of(region("new", 0, Lifecycle.PROVISIONING)), T0).outageMode()).isTrue();
  }

  @Test
  void routedToAndOutageKeepOrStartTheHoldDown() {
    var p = Placement.initial("east", List.of("west"), T0);
    Instant t1 = T0.plusSeconds(10);
    var auto = p.routedTo(List.of("west", "east"), 3, t1, Placement.Mover.POLICY, "policy");
    assertThat(auto.activeRegion()).isEqualTo("west");
    assertThat(auto.standbys()).containsExactly("east");
    assertThat(auto.lastShiftAt()).isEqualTo(t1);
    assertThat(auto.operatorChoice()).isNull();
    var rollback = auto.routedTo(List.of("east"), 4, t1.plusSeconds(5), Placement.Mover.NONE, "policy");
    assertThat(rollback.lastShiftAt()).as("a first placement or a rollback starts no hold-down").isEqualTo(t1);
    var standbysOnly = rollback.routedTo(List.of("east", "west"), 5, t1.plusSeconds(7), Placement.Mover.POLICY, "policy");
    assertThat(standbysOnly.lastShiftAt()).as("a change of standbys alone is not a shift").isEqualTo(t1);
    var outage = standbysOnly.outage(6, t1.plusSeconds(9), Placement.Mover.POLICY, "policy");
    assertThat(outage.outageMode()).isTrue();
    assertThat(outage.routed()).isEmpty();
    assertThat(outage.lastShiftAt()).isEqualTo(t1.plusSeconds(9));
  }

  @Test
  void anOperatorsShiftStartsTheHoldDownAndIsRememberedUntilThePolicyMovesTheActiveRegion() {
    Instant t1 = T0.plusSeconds(10);
    var manual = Placement.initial("east", List.of("west"), T0)
        .routedTo(List.of("west", "east"), 2, t1, Placement.Mover.OPERATOR, "operator/alice");
    assertThat(manual.lastShiftAt()).isEqualTo(t1);
    assertThat(manual.operatorChoice()).isEqualTo(new Placement.OperatorChoice("west", "operator/alice", t1));
    var standbysChanged = manual.routedTo(List.of("west"), 3, t1.plusSeconds(1), Placement.Mover.POLICY, "policy");
    assertThat(standbysChanged.operatorChoice()).as("the active region stayed").isEqualTo(manual.operatorChoice());
    var failedOver = standbysChanged.routedTo(List.of("east"), 4, t1.plusSeconds(2), Placement.Mover.POLICY, "policy");
    assertThat(failedOver.operatorChoice()).isNull();
    assertThat(manual.outage(5, t1.plusSeconds(3), Placement.Mover.OPERATOR, "operator/alice").operatorChoice())
        .isEqualTo(new Placement.OperatorChoice(null, "operator/alice", t1.plusSeconds(3)));
  }

  @Test
  void aPlacementStoredByAnEarlierVersionKeepsItsHoldDown() throws Exception {
    var mapper = dev.dialtone.controlplane.state.StateJson.mapper();
    var json = "{\"activeRegion\":\"east\",\"standbys\":[\"west\"],\"outageMode\":false,\"epoch\":3,"
        + "\"changedAt\":\"2026-11-22T12:00:00Z\",\"lastAutomaticShiftAt\":\"2026-11-22T11:59:00Z\"}";
    Placement p = mapper.readValue(json, Placement.class);
    assertThat(p.lastShiftAt()).isEqualTo(Instant.parse("2026-11-22T11:59:00Z"));
    assertThat(p.operatorChoice()).isNull();
    Placement manual = p.routedTo(List.of("west", "east"), 4, T0, Placement.Mover.OPERATOR, "admin/bob");
    assertThat(mapper.readValue(mapper.writeValueAsString(manual), Placement.class)).isEqualTo(manual);
  }

  @Test
  void toTargetConvertsToTheActuationSeam() {
    var regions = Map.of("east", region("east", 1, Lifecycle.ACTIVE), "west", region("west", 2, Lifecycle.STANDBY));
    var target = Placement.initial("west", List.of("east"), T0).toTarget(regions);
    assertThat(target).isInstanceOf(TrafficTarget.Routed.class);
    assertThat(target.describe()).isEqualTo("west > east");
    assertThat(Placement.initial("east", List.of(), T0).outage(1, T0, Placement.Mover.NONE, "policy").toTarget(regions))
        .isInstanceOf(TrafficTarget.Outage.class);
    assertThatThrownBy(() -> Placement.initial("mars", List.of(), T0).toTarget(regions))
        .hasMessage("placement routes to unknown region mars");
  }

  @Test
  void freezeSignalValidationAndExpiry() {
    assertThatThrownBy(() -> new FreezeSignal("", "x", T0, null)).hasMessage("freeze: principal must not be blank");
    assertThatThrownBy(() -> new FreezeSignal("alice", " ", T0, null)).hasMessage("freeze: reason must not be blank");
    assertThatThrownBy(() -> new FreezeSignal("alice", "x", T0, T0))
        .hasMessageContaining("freeze: until (" + T0 + ") must be after at");
    var f = new FreezeSignal("alice", "carrier maintenance", T0, T0.plusSeconds(60));
    assertThat(f.activeAt(T0.plusSeconds(59))).isTrue();
    assertThat(f.activeAt(T0.plusSeconds(60))).isFalse();
    assertThat(new FreezeSignal("alice", "x", T0, null).activeAt(T0.plusSeconds(1_000_000))).isTrue();
  }

  @Test
  void policyDefaultsArePinned() {
    var d = PolicyConfig.defaults();
    assertThat(d).isEqualTo(new PolicyConfig(Mode.AUTO, 2, 3, Duration.ofSeconds(60), FailbackMode.MANUAL,
        Duration.ofMinutes(10), Duration.ofSeconds(5), true, Duration.ofMinutes(5)));
    assertThat(d.withMode(Mode.FROZEN).mode()).isEqualTo(Mode.FROZEN);
  }

  @Test
  void policyValidationNamesTheField() {
    var d = PolicyConfig.defaults();
    assertThatThrownBy(() -> new PolicyConfig(null, 2, 3, d.holdDown(), d.failback(), d.failbackHealthyFor(),
        d.staleAfter(), true, d.provisioningHealthyFor())).hasMessage("policy.mode must be set");
    assertThatThrownBy(() -> new PolicyConfig(Mode.AUTO, 2, 3, d.holdDown(), null, d.failbackHealthyFor(),
        d.staleAfter(), true, d.provisioningHealthyFor())).hasMessage("policy.failback must be set");
    assertThatThrownBy(() -> new PolicyConfig(Mode.AUTO, 0, 3, d.holdDown(), d.failback(), d.failbackHealthyFor(),
        d.staleAfter(), true, d.provisioningHealthyFor())).hasMessage("policy.failAfter must be >= 1 (was 0)");
    assertThatThrownBy(() -> new PolicyConfig(Mode.AUTO, 2, 0, d.holdDown(), d.failback(), d.failbackHealthyFor(),
        d.staleAfter(), true, d.provisioningHealthyFor())).hasMessage("policy.recoverAfter must be >= 1 (was 0)");
    assertThatThrownBy(() -> new PolicyConfig(Mode.AUTO, 2, 3, Duration.ofSeconds(-1), d.failback(),
        d.failbackHealthyFor(), d.staleAfter(), true, d.provisioningHealthyFor()))
        .hasMessage("policy.holdDown must not be negative (was PT-1S)");
    assertThatThrownBy(() -> new PolicyConfig(Mode.AUTO, 2, 3, d.holdDown(), d.failback(), null,
        d.staleAfter(), true, d.provisioningHealthyFor())).hasMessage("policy.failbackHealthyFor must be set");
    assertThatThrownBy(() -> new PolicyConfig(Mode.AUTO, 2, 3, d.holdDown(), d.failback(), d.failbackHealthyFor(),
        Duration.ZERO, true, d.provisioningHealthyFor())).hasMessage("policy.staleAfter must be positive (was PT0S)");
    assertThatThrownBy(() -> new PolicyConfig(Mode.AUTO, 2, 3, d.holdDown(), d.failback(), d.failbackHealthyFor(),
        d.staleAfter(), true, Duration.ofMinutes(-1)))
        .hasMessage("policy.provisioningHealthyFor must not be negative (was PT-1M)");
  }
}
