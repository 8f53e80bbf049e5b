package dev.dialtone.chaos.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** What every {@link DrillClaims} must do; run against the in-memory twin and ZooKeeper. */
abstract class DrillClaimsContract {
  protected abstract DrillClaims claims();

  private static final Instant TEN = Instant.parse("2026-11-02T10:00:00Z");

  @Test
  void theFirstClaimOfATimeWinsAndEveryLaterOneLoses() throws Exception {
    DrillClaims claims = claims();

    assertThat(claims.claim("llm-timeout", TEN, 3)).isTrue();
    assertThat(claims.claim("llm-timeout", TEN, 3)).isFalse();
    assertThat(claims.claim("llm-timeout", TEN, 4)).as("a newer term cannot re-run a claimed time").isFalse();
  }

  @Test
  void otherTimesAndOtherDrillsAreSeparateClaims() throws Exception {
    DrillClaims claims = claims();

    assertThat(claims.claim("llm-timeout", TEN, 1)).isTrue();
    assertThat(claims.claim("llm-timeout", TEN.plusSeconds(3600), 1)).isTrue();
    assertThat(claims.claim("db-down", TEN, 1)).isTrue();
  }
}
