package dev.dialtone.actuation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrafficTargetTest {
  private static RegionEdge edge(String id) {
    return new RegionEdge(id, List.of("192.0.2.1"), List.of(), URI.create("sip:edge." + id + ".example.com"), null);
  }

  @Test
  void routedTargetNeverEmpty() {
    assertThatThrownBy(() -> new TrafficTarget.Routed(List.of()))
        .hasMessageContaining("use Outage");
  }

  @Test
  void edgeWithoutAnyAddressIsRejectedNamingTheRegion() {
    assertThatThrownBy(() -> new RegionEdge("eu-west", List.of(), List.of(), null, null))
        .hasMessageContaining("eu-west");
  }

  @Test
  void observedRoutingMatchesOrderAndMode() {
    var target = new TrafficTarget.Routed(List.of(edge("us-west"), edge("us-east")));
    assertThat(target.describe()).isEqualTo("us-west > us-east");
    assertThat(new ObservedRouting(List.of("us-west", "us-east"), false, 3, "").matches(target)).isTrue();
    assertThat(new ObservedRouting(List.of("us-east", "us-west"), false, 3, "").matches(target)).isFalse();
    assertThat(new ObservedRouting(List.of(), true, 3, "").matches(target)).isFalse();
    assertThat(new ObservedRouting(List.of(), true, 3, "").matches(new TrafficTarget.Outage())).isTrue();
  }

  @Test
  void verifyRefusesNewerOwnerAsFencing() {
    TrafficActuator actuator =
        new TrafficActuator() {
          @Override
          public String name() {
            return "test";
          }

          @Override
          public ObservedRouting read() {
            return new ObservedRouting(List.of("us-east"), false, 9, "us-east@9");
          }

          @Override
          public void apply(long epoch, String planId, TrafficTarget target) {}
        };
    assertThatThrownBy(() -> actuator.verify(7, new TrafficTarget.Routed(List.of(edge("us-east")))))
        .isInstanceOf(FencedException.class)
        .hasMessageContaining("epoch 7 is stale")
        .hasMessageContaining("epoch 9");
  }
}
