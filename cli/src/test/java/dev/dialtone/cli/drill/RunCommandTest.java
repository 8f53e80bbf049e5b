package dev.dialtone.cli.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunCommandTest {
  @Test
  void aLiveTimelineLineShowsTheOffsetTheKindAndTheDetail() {
    Instant start = Instant.parse("2026-03-01T10:00:00Z");
    assertThat(RunCommand.line(start, new TimelineEvent(start.plusMillis(2345), EventKind.REGION_DOWN, "us-east DOWN")))
        .isEqualTo("   +2.345s  REGION_DOWN         us-east DOWN");
  }
}
