package dev.dialtone.dns.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void waitsStayUnderAnExponentialCeilingCappedAtMax() {
    SplittableRandom random = new SplittableRandom(7);
    for (int attempt = 0; attempt < 12; attempt++) {
      long ceiling = Math.min(100L << attempt, 2000);
      for (int i = 0; i < 200; i++) {
        assertThat(backoff.delay(attempt, random).toMillis()).isBetween(0L, ceiling);
      }
    }
  }

  @Test
  void jitterSpreadsTheWaits() {
    SplittableRandom random = new SplittableRandom(7);
    long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> backoff.delay(4, random)).distinct().count();
    assertThat(distinct).isGreaterThan(10);
  }

  @Test
  void rejectsAnInitialAboveTheMax() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(3), Duration.ofSeconds(2)))
        .hasMessageContaining("0 < initial <= max");
  }
}
