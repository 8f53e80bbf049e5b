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

/** Which game-day history entries make an event, and which one. */
class DrillEventsTest {
  static Optional<Notification> of(HistoryKind kind, String summary) {
    return DrillEvents.of("acme-voice", HistoryEntry.of(Instant.EPOCH, kind, 4, "", "gameday", summary, "scheduled", Map.of()));
  }

  @Test
  void aDrillsStartAndEachEndAreEvents() {
    assertThat(of(HistoryKind.DRILL, "drill east-db started as run r-17")).hasValueSatisfying(n -> {
      assertThat(n.kind()).isEqualTo(EventKind.DRILL_STARTED);
      assertThat(n.id()).isEqualTo("drill-r-17-started");
      assertThat(n.details()).containsEntry("drill", "east-db").containsEntry("run", "r-17").containsEntry("reason", "scheduled");
    });
    assertThat(of(HistoryKind.DRILL, "drill east-db run r-17 ended PASSED")).map(Notification::kind).hasValue(EventKind.DRILL_PASSED);
    assertThat(of(HistoryKind.DRILL, "drill east-db run r-17 ended FAILED")).map(Notification::kind).hasValue(EventKind.DRILL_FAILED);
    assertThat(of(HistoryKind.DRILL, "drill east-db run r-17 ended ABORTED")).map(Notification::kind).hasValue(EventKind.DRILL_ABORTED);
  }

  @Test
  void otherEntriesAreNot() {
    assertThat(of(HistoryKind.DRILL, "drill east-db run r-17 ended SKIPPED")).isEmpty();
    assertThat(of(HistoryKind.DRILL, "drill run r-17 aborted")).as("the run's own end says it").isEmpty();
    assertThat(of(HistoryKind.DECISION, "drill east-db started as run r-17")).isEmpty();
  }
}
