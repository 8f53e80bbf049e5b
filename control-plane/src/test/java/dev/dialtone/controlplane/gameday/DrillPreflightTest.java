package dev.dialtone.controlplane.gameday;

import static dev.dialtone.controlplane.gameday.Frames.T0;
import static dev.dialtone.controlplane.gameday.Frames.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.chaos.run.PreflightFacts;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.plan.PlanState;
import org.junit.jupiter.api.Test;

class DrillPreflightTest {
  @Test
  void aCalmWorldPassesEveryGuardrail() {
    assertThat(DrillPreflight.facts("us-east", world().build())).isEqualTo(new PreflightFacts(true, false, false, false));
  }

  @Test
  void theStandbyMustBeUpReadyAndRoutable() {
    assertThat(DrillPreflight.facts("us-east", world().region("us-west", RegionStatus.DEGRADED).build()).standbyHealthy()).isFalse();
    assertThat(DrillPreflight.facts("us-east", world().notReady("us-west").build()).standbyHealthy()).isFalse();
    assertThat(DrillPreflight.facts("us-east", world().lifecycle("us-west", Lifecycle.DRAINING).build()).standbyHealthy()).isFalse();
    assertThat(DrillPreflight.facts("us-east", world().region("us-west", RegionStatus.UNKNOWN).build()).standbyHealthy()).isFalse();
  }

  @Test
  void theTargetRegionItselfIsNotItsOwnStandby() {
    assertThat(DrillPreflight.facts("us-west", world().region("us-east", RegionStatus.DEGRADED).build()).standbyHealthy()).isFalse();
  }

  @Test
  void onlyAPendingOrRunningPlanIsInFlight() {
    var running = Frames.plan("e2-1", T0, "us-west").withState(PlanState.RUNNING);
    assertThat(DrillPreflight.facts("us-east", world().plan(running).build()).planInFlight()).isTrue();
    assertThat(DrillPreflight.facts("us-east", world().plan(running.withState(PlanState.SUCCEEDED)).build()).planInFlight()).isFalse();
  }

  @Test
  void aFreezeCountsOnlyWhileItHolds() {
    assertThat(DrillPreflight.facts("us-east", world().frozen(null).build()).frozen()).isTrue();
    assertThat(DrillPreflight.facts("us-east", world().frozen(T0.plusSeconds(1)).build()).frozen()).isTrue();
    assertThat(DrillPreflight.facts("us-east", world().frozen(T0.minusSeconds(1)).build()).frozen()).isFalse();
  }

  @Test
  void anotherRegionDownIsAnIncidentButSilenceIsNot() {
    assertThat(DrillPreflight.facts("us-east", world().region("us-west", RegionStatus.DOWN).build()).incidentElsewhere()).isTrue();
    assertThat(DrillPreflight.facts("us-east", world().region("us-west", RegionStatus.UNKNOWN).build()).incidentElsewhere()).isFalse();
    assertThat(DrillPreflight.facts("us-east", world().region("us-east", RegionStatus.DOWN).build()).incidentElsewhere())
        .as("the drill's own region").isFalse();
  }
}
