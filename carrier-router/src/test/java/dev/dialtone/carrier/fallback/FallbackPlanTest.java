package dev.dialtone.carrier.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The domain plan: chains per number, PSTN numbers at the gateway, invariants asserted. */
class FallbackPlanTest {
  private static final FallbackDestination QUEUE = FallbackDestination.queue("sip:support@pbx.example.com");
  private static final FallbackDestination ON_CALL = FallbackDestination.pstn("+15551230000");
  private static final FallbackDestination VOICEMAIL = FallbackDestination.voicemail("sip:vm@pbx.example.com");

  @Test
  void aNumberWithItsOwnChainUsesItAndEveryOtherNumberUsesTheDefault() {
    FallbackPlan plan = new FallbackPlan(List.of(QUEUE, ON_CALL, VOICEMAIL), Map.of("+15557654321", List.of(VOICEMAIL)),
        null, "gw.example.com:5060");

    assertThat(plan.chainFor("+15557654321")).containsExactly(VOICEMAIL);
    assertThat(plan.chainFor("+15550000000")).containsExactly(QUEUE, ON_CALL, VOICEMAIL);
    assertThat(plan.ring()).isEqualTo(RingMode.SEQUENTIAL);
    assertThat(plan.sipUri(ON_CALL)).isEqualTo("sip:+15551230000@gw.example.com:5060");
    assertThat(plan.sipUri(QUEUE)).isEqualTo("sip:support@pbx.example.com");
    assertThat(plan.ringing(RingMode.PARALLEL).ring()).isEqualTo(RingMode.PARALLEL);
    assertThat(plan.needsPstnGateway()).isTrue();
    assertThat(FallbackPlan.of(QUEUE).needsPstnGateway()).isFalse();
  }

  @Test
  void invariantsAreAsserted() {
    assertThatThrownBy(() -> new FallbackPlan(List.of(), Map.of(), null, null)).hasMessage("a fallback plan needs at least one destination");
    assertThatThrownBy(() -> new FallbackPlan(List.of(QUEUE), Map.of("5551234", List.of(QUEUE)), null, null))
        .hasMessage("'5551234' is not an E.164 number like +15551230000");
    assertThatThrownBy(() -> FallbackPlan.of(ON_CALL)).hasMessage("a PSTN fallback destination needs a PSTN gateway");
  }

  @Test
  void destinationsAreCheckedByKind() {
    assertThatThrownBy(() -> FallbackDestination.pstn("555-1234")).hasMessage("pstn: '555-1234' is not an E.164 number like +15551230000");
    assertThatThrownBy(() -> FallbackDestination.queue("http://pbx")).hasMessage("queue: 'http://pbx' is not a sip: or sips: URI");
    assertThat(FallbackDestination.answeringService("sips:answer@svc.example.com;transport=tls").sipUri(null))
        .isEqualTo("sips:answer@svc.example.com;transport=tls");
  }
}
