package dev.dialtone.chaos.drill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationTextTest {
  @ParameterizedTest
  @CsvSource({"500ms,PT0.5S,500ms", "30s,PT30S,30s", "5m,PT5M,5m", "1h,PT1H,1h", "0,PT0S,0s", "PT90S,PT1M30S,90s", "-2s,PT-2S,-2s"})
  void parsesAndFormats(String text, String iso, String formatted) {
    assertThat(DurationText.parse(text)).isEqualTo(Duration.parse(iso));
    assertThat(DurationText.format(Duration.parse(iso))).isEqualTo(formatted);
  }

  @ParameterizedTest
  @CsvSource({"soon", "5 parsecs", "1d"})
  void refusesWhatIsNotADuration(String text) {
    assertThatThrownBy(() -> DurationText.parse(text)).hasMessageContaining("is not a duration");
  }
}
