package dev.dialtone.agent.probe;

import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_DEGRADED;
import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_DOWN;
import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_UNSPECIFIED;
import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.proto.v1.HealthStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HysteresisTest {

  private static List<HealthStatus> feed(Hysteresis h, HealthStatus... raws) {
    List<HealthStatus> verdicts = new ArrayList<>();
    for (HealthStatus raw : raws) {
      verdicts.add(h.apply(raw));
    }
    return verdicts;
  }

  @Test
  void startsUnknownAndNeedsRecoverAfterSuccessesToComeUp() {
    Hysteresis h = new Hysteresis(2, 3);
    assertThat(h.verdict()).isEqualTo(HEALTH_STATUS_UNSPECIFIED);
    assertThat(feed(h, HEALTH_STATUS_UP, HEALTH_STATUS_UP, HEALTH_STATUS_UP))
        .containsExactly(HEALTH_STATUS_UNSPECIFIED, HEALTH_STATUS_UNSPECIFIED, HEALTH_STATUS_UP);
  }

  @Test
  void goesDownOnlyAfterFailAfterConsecutiveFailures() {
    Hysteresis h = new Hysteresis(2, 1);
    feed(h, HEALTH_STATUS_UP);
    assertThat(feed(h, HEALTH_STATUS_DOWN, HEALTH_STATUS_UP, HEALTH_STATUS_DOWN, HEALTH_STATUS_DOWN))
        .containsExactly(HEALTH_STATUS_UP, HEALTH_STATUS_UP, HEALTH_STATUS_UP, HEALTH_STATUS_DOWN);
  }

  @Test
  void aSingleSuccessDoesNotBringItBackWhenRecoverAfterIsThree() {
    Hysteresis h = new Hysteresis(1, 3);
    feed(h, HEALTH_STATUS_DOWN);
    assertThat(feed(h, HEALTH_STATUS_UP, HEALTH_STATUS_UP, HEALTH_STATUS_DOWN, HEALTH_STATUS_UP, HEALTH_STATUS_UP, HEALTH_STATUS_UP))
        .containsExactly(HEALTH_STATUS_DOWN, HEALTH_STATUS_DOWN, HEALTH_STATUS_DOWN, HEALTH_STATUS_DOWN, HEALTH_STATUS_DOWN, HEALTH_STATUS_UP);
  }

  @Test
  void degradedCountsAsSuccessAndFollowsTheLatestAttemptWhileAvailable() {
    Hysteresis h = new Hysteresis(2, 2);
    assertThat(feed(h, HEALTH_STATUS_DEGRADED, HEALTH_STATUS_UP, HEALTH_STATUS_DEGRADED, HEALTH_STATUS_UP))
        .containsExactly(HEALTH_STATUS_UNSPECIFIED, HEALTH_STATUS_UP, HEALTH_STATUS_DEGRADED, HEALTH_STATUS_UP);
  }

  @Test
  void countsConsecutiveIdenticalOutcomes() {
    Hysteresis h = new Hysteresis(5, 5);
    feed(h, HEALTH_STATUS_UP, HEALTH_STATUS_DOWN, HEALTH_STATUS_DOWN, HEALTH_STATUS_DOWN);
    assertThat(h.consecutive()).isEqualTo(3);
  }

  @Test
  void rejectsThresholdsBelowOne() {
    assertThatThrownBy(() -> new Hysteresis(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
