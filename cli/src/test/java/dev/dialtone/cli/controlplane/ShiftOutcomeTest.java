package dev.dialtone.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.Placement;
import dev.dialtone.proto.v1.PlanState;
import dev.dialtone.proto.v1.PlanSummary;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A switchover's exit status follows what traffic does, not the answer's wording. */
class ShiftOutcomeTest {
  private static PlanSummary plan(PlanState state) {
    return PlanSummary.newBuilder().setPlanId("p-42").setState(state).build();
  }

  private static Supplier<GetStatusResponse> active(String region) {
    return () -> GetStatusResponse.newBuilder().setPlacement(Placement.newBuilder().setActiveRegion(region)).build();
  }

  @Test
  void aSucceededPlanWhoseRegionIsStillActiveIsASuccess() {
    assertThat(ShiftOutcome.problem("us-west", false, Optional.of(plan(PlanState.PLAN_STATE_SUCCEEDED)), active("us-west")))
        .isEmpty();
  }

  @Test
  void aSucceededPlanUndoneByTheTimeTheCliLooksIsNotASuccess() {
    assertThat(ShiftOutcome.problem("us-west", false, Optional.of(plan(PlanState.PLAN_STATE_SUCCEEDED)), active("us-east")))
        .hasValue("plan p-42 SUCCEEDED, but routing has moved on since: us-east is active, not us-west;"
            + " the shift did not hold (dialtone history shows why)");
    assertThat(ShiftOutcome.problem("us-west", false, Optional.of(plan(PlanState.PLAN_STATE_SUCCEEDED)), active("")))
        .get().asString().contains("outage mode, not us-west");
  }

  @Test
  void aPlanThatFailedOrWasFencedIsNotASuccess() {
    for (PlanState s : new PlanState[] {PlanState.PLAN_STATE_FAILED, PlanState.PLAN_STATE_ROLLED_BACK, PlanState.PLAN_STATE_FENCED}) {
      assertThat(ShiftOutcome.problem("us-west", false, Optional.of(plan(s)), active("us-east")))
          .hasValue("plan p-42 ended " + s.name().replace("PLAN_STATE_", "") + "; traffic is not on us-west"
              + " (dialtone history --plan p-42)");
    }
  }

  @Test
  void aPlanStillRunningIsNotASuccessYet() {
    assertThat(ShiftOutcome.problem("us-west", false, Optional.of(plan(PlanState.PLAN_STATE_RUNNING)), active("us-east")))
        .hasValue("plan p-42 is still RUNNING; traffic is not on us-west yet (dialtone history --plan p-42)");
  }

  @Test
  void aDryRunOrNothingToMoveNeverAsksAgain() {
    AtomicInteger asked = new AtomicInteger();
    Supplier<GetStatusResponse> counting = () -> {
      asked.incrementAndGet();
      return GetStatusResponse.getDefaultInstance();
    };
    assertThat(ShiftOutcome.problem("us-west", true, Optional.of(plan(PlanState.PLAN_STATE_PENDING)), counting)).isEmpty();
    assertThat(ShiftOutcome.problem("us-west", false, Optional.empty(), counting)).isEmpty();
    assertThat(asked).hasValue(0);
  }

  @Test
  void aRecommendOnlyReplicaAppliedNothingAndSaysSo() {
    assertThat(ShiftOutcome.problem("us-west", false, Optional.of(plan(PlanState.PLAN_STATE_PENDING)),
        () -> GetStatusResponse.newBuilder().setRecommendOnly(true).build())).isEmpty();
  }
}
