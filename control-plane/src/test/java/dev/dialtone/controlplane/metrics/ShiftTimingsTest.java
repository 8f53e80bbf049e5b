package dev.dialtone.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.controlplane.policy.Decision;
import dev.dialtone.controlplane.policy.PlacementPolicy;
import dev.dialtone.controlplane.policy.PolicyInput;
import dev.dialtone.controlplane.policy.World;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShiftTimingsTest {
  private final MetricRegistry metrics = new MetricRegistry();
  private final ShiftTimings timings = new ShiftTimings(metrics, new PlacementPolicy()::decide);

  private static PolicyInput at(PolicyInput in, Instant now) {
    return new PolicyInput(in.health(), in.placement(), in.regions(), in.config(), in.freeze(), now);
  }

  private double lastShift(String stage) {
    return (Double) metrics.getGauges().get(ReplicaMetrics.LAST_SHIFT.name(stage)).getValue();
  }

  @Test
  void detectionRunsFromTheFirstEvaluationThatSawTheActiveRegionUnhealthyToTheShift() {
    Instant t0 = World.NOW;
    assertThat(timings.decide(World.threeRegions().input())).isInstanceOf(Decision.NoChange.class);
    // east turns DOWN, but not yet for long enough: no shift, detection not over.
    Decision first = timings.decide(at(World.threeRegions().down("east", 1).input(), t0.plusSeconds(1)));
    assertThat(first.actionable()).isFalse();
    assertThat(lastShift("detection")).isNaN();
    Decision shift = timings.decide(at(World.threeRegions().down("east", 10).input(), t0.plusMillis(3500)));

    assertThat(shift).isInstanceOf(Decision.Shift.class);
    assertThat(lastShift("detection")).isEqualTo(2.5);
    assertThat(metrics.timer(ReplicaMetrics.DETECTION_SECONDS.name()).getCount()).isEqualTo(1);
    assertThat(metrics.timer(ReplicaMetrics.DECISION_SECONDS.name()).getCount()).isEqualTo(3);
    assertThat(lastShift("decision")).isPositive();
  }

  @Test
  void aRegionThatHealsBeforeTheShiftStartsItsDetectionAgain() {
    Instant t0 = World.NOW;
    timings.decide(at(World.threeRegions().down("east", 1).input(), t0));
    timings.decide(at(World.threeRegions().input(), t0.plusSeconds(5)));
    timings.decide(at(World.threeRegions().down("east", 1).input(), t0.plusSeconds(10)));
    timings.decide(at(World.threeRegions().down("east", 10).input(), t0.plusSeconds(11)));
    assertThat(lastShift("detection")).isEqualTo(Duration.ofSeconds(1).toNanos() / 1e9);
  }
}
