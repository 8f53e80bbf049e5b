package dev.dialtone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void doublesUpToTheCapAndStartsOverAfterReset() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500), 0.2, () -> 0.5);
    assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(400));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
    b.reset();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void jitterSpreadsEachDelayWithinItsFraction() {
    assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2, () -> 0.0).next()).isEqualTo(Duration.ofMillis(80));
    assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 0.2, () -> 0.999).next().toMillis()).isEqualTo(119);
  }
}
