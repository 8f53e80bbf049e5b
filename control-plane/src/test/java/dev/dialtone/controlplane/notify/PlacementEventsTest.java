package dev.dialtone.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.controlplane.notify.PlacementEvents.Cause;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which events a change of routing makes, with their dedup keys, ids and details. */
class PlacementEventsTest {
  static final Instant AT = Instant.parse("2026-12-03T07:00:00Z");
  static final Cause CAUSE = new Cause("e3-7", "us-east db DOWN for 2 reports", "policy", Map.of("us-east.db", "DOWN"));

  static Raised on(String active) {
    return new Raised(active, false, "", 0, "");
  }

  static final Raised OUTAGE = new Raised(null, true, "", 0, "");

  static List<Notification> between(Raised before, Raised after, List<String> routed) {
    return PlacementEvents.between("acme-voice", before, after, routed, "us-east", List.of("us-east", "us-west", "eu-west"),
        "carrier sequential: voicemail sip:vm@pbx", CAUSE, "e3-7", AT);
  }

  @Test
  void movingAwayFromTheActiveRegionIsAFailoverOpeningItsIncident() {
    Notification n = between(on("us-east"), on("us-west"), List.of("us-west", "us-east")).getFirst();
    assertThat(n.kind()).isEqualTo(EventKind.FAILOVER);
    assertThat(n.id()).isEqualTo("e3-7-failover");
    assertThat(n.region()).isEqualTo("us-east");
    assertThat(n.summary()).isEqualTo("us-east failed over to us-west");
    assertThat(n.dedupKey()).isEqualTo("acme-voice:active-region-down:us-east");
    assertThat(n.details()).containsEntry("reason", CAUSE.reason()).containsEntry("evidence.us-east.db", "DOWN")
        .containsEntry("from", "us-east").containsEntry("to", "us-west").containsEntry("routing", "us-west > us-east")
        .containsEntry("principal", "policy");
  }

  @Test
  void movingBackToThePreferredRegionIsAFailbackResolvingThatIncident() {
    Notification n = between(on("us-west"), on("us-east"), List.of("us-east", "us-west")).getFirst();
    assertThat(n.kind()).isEqualTo(EventKind.FAILBACK);
    assertThat(n.kind().role()).isEqualTo(EventKind.Role.RESOLVES);
    assertThat(n.dedupKey()).isEqualTo("acme-voice:active-region-down:us-east");
  }

  @Test
  void leavingThePreferredRegionForTheOnlyOneLeftRoutableIsNoFailback() {
    // us-east drained: us-west is now the best routable region, but the move goes away from preference.
    Cause drain = new Cause("e3-9", "switchover to us-west before draining us-east", "spiffe://acme/operator/alice", Map.of());
    Notification n = PlacementEvents.between("acme-voice", on("us-east"), on("us-west"), List.of("us-west"), "us-west",
        List.of("us-east", "us-west"), "carrier sequential: voicemail sip:vm@pbx", drain, "e3-9", AT).getFirst();
    assertThat(n.kind()).isEqualTo(EventKind.FAILOVER);
    assertThat(n.summary()).isEqualTo("us-east failed over to us-west");
    assertThat(n.dedupKey()).as("the incident of the region left, not a resolution of us-west's").isEqualTo(
        "acme-voice:active-region-down:us-east");
    assertThat(n.details()).containsEntry("principal", "spiffe://acme/operator/alice");

    Notification back = PlacementEvents.between("acme-voice", on("eu-west"), on("us-west"), List.of("us-west"), "us-west",
        List.of("us-east", "us-west", "eu-west"), "", CAUSE, "e3-10", AT).getFirst();
    assertThat(back.kind()).as("toward the best routable region, better than the one left").isEqualTo(EventKind.FAILBACK);
  }

  @Test
  void outageEnteredAndLeftShareOneKeyAndCarryTheFallbackChain() {
    Notification in = between(on("us-east"), OUTAGE, List.of()).getFirst();
    Notification out = between(OUTAGE, on("us-west"), List.of("us-west")).getFirst();
    assertThat(List.of(in.kind(), out.kind())).containsExactly(EventKind.OUTAGE_ENTERED, EventKind.OUTAGE_LEFT);
    assertThat(in.dedupKey()).isEqualTo(out.dedupKey()).isEqualTo("acme-voice:outage");
    assertThat(in.details()).containsEntry("fallback", "carrier sequential: voicemail sip:vm@pbx");
    assertThat(in.summary()).contains("voicemail sip:vm@pbx");
    assertThat(out.region()).isEqualTo("us-west");
  }

  @Test
  void aFirstPlacementAndAChangeOfStandbysAloneTellNothing() {
    assertThat(between(on(null), on("us-east"), List.of("us-east", "us-west"))).isEmpty();
    assertThat(between(on("us-east"), on("us-east"), List.of("us-east"))).isEmpty();
    assertThat(between(OUTAGE, OUTAGE, List.of())).isEmpty();
  }
}
