package dev.dialtone.carrier.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FallbackPlanTest {
  private static final FallbackDestination QUEUE = FallbackDestination.queue("sip:support@pbx.example.com");
  private static final FallbackDestination ON_CALL = FallbackDestination.pstn("+15551230000");
  private static final FallbackDestination VOICEMAIL = FallbackDestination.voicemail("sip:vm@pbx.example.com");

  @Test
  void aNumberWithItsOwnChainUsesItAndEveryOtherNumberUsesTheDefault() {
    FallbackPlan plan = new FallbackPlan(List.of(QUEUE, ON_CALL, VOICEMAIL), Map.of("+15557654321", List.of(VOICEMAIL)));

    assertThat(plan.chainFor("+15557654321")).containsExactly(VOICEMAIL);
    assertThat(plan.chainFor("+15550000000")).containsExactly(QUEUE, ON_CALL, VOICEMAIL);
    assertThat(plan.needsPstnGateway()).isTrue();
    assertThat(FallbackPlan.of(QUEUE).needsPstnGateway()).isFalse();
  }

  @Test
  void validationNamesTheField() {
    assertThatThrownBy(() -> new FallbackPlan(List.of(), Map.of())).hasMessage("carrier.fallback: at least one destination is required");
    assertThatThrownBy(() -> new FallbackPlan(List.of(QUEUE), Map.of("5551234", List.of(QUEUE))))
        .hasMessage("carrier.fallbackPerNumber: '5551234' is not an E.164 number like +15551230000");
    assertThatThrownBy(() -> new FallbackPlan(List.of(QUEUE), Map.of("+15551234567", List.of())))
        .hasMessage("carrier.fallbackPerNumber.+15551234567: at least one destination is required");
  }

  @Test
  void destinationsAreCheckedByKind() {
    assertThatThrownBy(() -> FallbackDestination.pstn("555-1234")).hasMessage("pstn: '555-1234' is not an E.164 number like +15551230000");
    assertThatThrownBy(() -> FallbackDestination.queue("http://pbx")).hasMessage("queue: 'http://pbx' is not a sip: or sips: URI");
    assertThatThrownBy(() -> FallbackDestination.voicemail(" ")).hasMessage("voicemail: required");
    assertThat(FallbackDestination.answeringService("sips:answer@svc.example.com;transport=tls").sipUri(null))
        .isEqualTo("sips:answer@svc.example.com;transport=tls");
    assertThatThrownBy(() -> ON_CALL.sipUri(null)).hasMessage("pstn fallback +15551230000 needs a PSTN gateway");
  }
}
