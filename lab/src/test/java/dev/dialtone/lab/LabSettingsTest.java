package dev.dialtone.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabSettingsTest {
  private final LabSettings quickStart = new LabSettings(Path.of("/tmp/lab"), List.of("us-east", "us-west"),
      ProbeProfile.DEFAULT, 2, true);

  @Test
  void aLabRunsThirtyMinutesUnlessToldToRunLongerAndEveryOtherSettingSurvivesTheChange() {
    assertThat(quickStart.maxRun()).isEqualTo(Lab.MAX_RUN);

    LabSettings campaign = quickStart.withSpareRegion("eu-west").withMaxRun(Duration.ofHours(10));

    assertThat(campaign.maxRun()).isEqualTo(Duration.ofHours(10));
    assertThat(campaign.spareRegion()).isEqualTo("eu-west");
    assertThat(campaign.withPolicy(false, Duration.ofSeconds(1)).maxRun()).isEqualTo(Duration.ofHours(10));
  }

  @Test
  void aRunThatIsEmptyOrLongerThanTwoDaysIsRefused() {
    assertThatThrownBy(() -> quickStart.withMaxRun(Duration.ZERO)).hasMessageContaining("longest run");
    assertThatThrownBy(() -> quickStart.withMaxRun(Duration.ofDays(3))).hasMessageContaining("at most 2 days, not PT72H");
  }
}
