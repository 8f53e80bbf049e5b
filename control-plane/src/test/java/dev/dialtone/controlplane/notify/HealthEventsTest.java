package dev.dialtone.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which control-loop history entries make an event, and which one. */
class HealthEventsTest {
  static final Instant AT = Instant.parse("2026-12-03T12:00:00Z");

  static Optional<Notification> of(HistoryKind kind, String planId, String summary) {
    return HealthEvents.of("acme-voice", HistoryEntry.of(AT, kind, 4, planId, "policy", summary, "no report since x",
        Map.of("region", "us-east")));
  }

  @Test
  void aSilentAgentAndALaggingActuatorAreEvents() {
    assertThat(of(HistoryKind.REGION, "", "us-east: agent silent")).hasValueSatisfying(n -> {
      assertThat(n.kind()).isEqualTo(EventKind.AGENT_SILENT);
      assertThat(n.region()).isEqualTo("us-east");
      assertThat(n.id()).isEqualTo("agent-silent-us-east-" + AT.toEpochMilli());
      assertThat(n.summary()).isEqualTo("the agent of us-east is silent: no report since x");
      assertThat(n.details()).containsEntry("region", "us-east").containsEntry("principal", "policy");
    });
    assertThat(of(HistoryKind.DECISION, "e4-9", "actuator lagging: carrier/kamailio (timed out)")).hasValueSatisfying(n -> {
      assertThat(n.kind()).isEqualTo(EventKind.ACTUATOR_LAGGING);
      assertThat(n.id()).isEqualTo("plan-e4-9-lagging");
      assertThat(n.planId()).isEqualTo("e4-9");
    });
  }

  @Test
  void otherEntriesAreNot() {
    assertThat(of(HistoryKind.DECISION, "", "us-east: agent silent")).isEmpty();
    assertThat(of(HistoryKind.REGION, "", "us-east registered as STANDBY")).isEmpty();
    assertThat(of(HistoryKind.REGION, "", "actuator lagging: dns")).isEmpty();
  }
}
