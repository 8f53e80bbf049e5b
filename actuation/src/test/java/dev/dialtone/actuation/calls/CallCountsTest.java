package dev.dialtone.actuation.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.calls.CallCounts.Destination;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CallCountsTest {
  @Test
  void theCallsBetweenTwoCountsArePerDestinationAndLeaveOutTheIdle() {
    CallCounts before = new CallCounts(Map.of("us-east", new Destination(10, 9), "us-west", new Destination(4, 4)), 1);
    CallCounts after = new CallCounts(
        Map.of("us-east", new Destination(12, 9), "us-west", new Destination(4, 4), "voicemail", new Destination(3, 3)), 3);
    CallCounts during = after.since(before);
    assertThat(during.destinations()).containsExactly(
        Map.entry("us-east", new Destination(2, 0)), Map.entry("voicemail", new Destination(3, 3)));
    assertThat(during.failed()).isEqualTo(2);
  }

  @Test
  void aCarrierThatRestartedInBetweenCountsFromZero() {
    CallCounts before = new CallCounts(Map.of("us-east", new Destination(100, 100)), 7);
    CallCounts after = new CallCounts(Map.of("us-east", new Destination(5, 4)), 1);
    assertThat(after.since(before)).isEqualTo(new CallCounts(Map.of("us-east", new Destination(5, 4)), 1));
  }

  @Test
  void countsOfSeveralCarriersAdd() {
    CallCounts kamailio = new CallCounts(Map.of("us-east", new Destination(2, 1)), 1);
    CallCounts other = new CallCounts(Map.of("us-east", new Destination(3, 3), "queue", new Destination(1, 1)), 0);
    assertThat(kamailio.plus(other)).isEqualTo(new CallCounts(
        Map.of("queue", new Destination(1, 1), "us-east", new Destination(5, 4)), 1));
    assertThat(CallCounts.NONE.plus(kamailio)).isEqualTo(kamailio);
  }

  @Test
  void countsAreNeverNegative() {
    assertThatThrownBy(() -> new Destination(-1, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("routed=-1");
  }
}
