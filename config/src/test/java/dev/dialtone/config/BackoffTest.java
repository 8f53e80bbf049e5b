package dev.dialtone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void ceilingsDoubleUpToTheMaximumAndDelaysStayUnderThem() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    assertThat(b.ceiling(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(b.ceiling(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(b.ceiling(4)).isEqualTo(Duration.ofMillis(800));
    assertThat(b.ceiling(5)).isEqualTo(Duration.ofSeconds(1));
    assertThat(b.ceiling(100)).isEqualTo(Duration.ofSeconds(1));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 1; i < 50; i++) {
      assertThat(b.delay(i, random)).isBetween(Duration.ZERO, b.ceiling(i));
    }
  }

  @Test
  void refusesAnInitialWaitAboveTheMaximum() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("initial <= max");
  }
}
