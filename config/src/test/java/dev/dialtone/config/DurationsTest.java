package dev.dialtone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void readsUnitsIsoAndZero() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("0")).isZero();
  }

  @Test
  void refusesBareNumbersNegativesAndNonsense() {
    assertThatThrownBy(() -> Durations.parse("30")).hasMessageStartingWith("'30' has no unit");
    assertThatThrownBy(() -> Durations.parse("-5s")).hasMessageStartingWith("'-5s' is negative");
    assertThatThrownBy(() -> Durations.parse("PT-5S")).hasMessageStartingWith("'PT-5S' is negative");
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageStartingWith("'soon' is not a duration");
  }

  @Test
  void formatsTheShortWay() {
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30s");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
  }
}
