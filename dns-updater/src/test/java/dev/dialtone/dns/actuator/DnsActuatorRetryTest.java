package dev.dialtone.dns.actuator;

import static dev.dialtone.dns.Fixtures.EAST;
import static dev.dialtone.dns.Fixtures.REGIONS;
import static dev.dialtone.dns.Fixtures.WEST;
import static dev.dialtone.dns.Fixtures.routed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.dns.Fixtures;
import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.PreconditionFailedException;
import dev.dialtone.dns.provider.inmemory.InMemoryDnsProvider;
import dev.dialtone.dns.retry.RecordingSleeper;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Retries, budget and fencing of {@link DnsActuator}, on the fake with a fake clock. */
class DnsActuatorRetryTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final InMemoryDnsProvider zone = new InMemoryDnsProvider();
  private final DnsActuator dns =
      new DnsActuator(
          zone, Fixtures.config("acme", new ProviderSettings.InMemory(), "example.com.", "example.com."),
          REGIONS, clock, sleeper, new SplittableRandom(11));

  private static ActuationException transient_(String why) {
    return new ActuationException(Failure.TRANSIENT, "dns/inmemory", why);
  }

  @Test
  void transientFailuresAreRetriedWithJitteredExponentialBackoff() throws Exception {
    zone.failNext(transient_("timeout"), transient_("timeout"), transient_("SERVFAIL"));

    dns.apply(1, "p", routed(EAST, WEST));

    assertThat(zone.appliedCount()).isEqualTo(1);
    assertThat(sleeper.sleeps()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(sleeper.sleeps().get(i)).isLessThanOrEqualTo(Duration.ofMillis(50L << i));
    }
    dns.verify(1, routed(EAST, WEST));
  }

  @Test
  void givesUpWhenTheBudgetIsSpentAndSaysHowManyAttempts() {
    for (int i = 0; i < 1000; i++) {
      zone.failNext(transient_("connection refused"));
    }
    assertThatThrownBy(() -> dns.apply(1, "p", routed(EAST)))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("gave up after")
        .hasMessageContaining("within PT5S")
        .hasMessageContaining("connection refused");
    long slept = sleeper.sleeps().stream().mapToLong(Duration::toMillis).sum();
    assertThat(slept).isLessThanOrEqualTo(5000);
    assertThat(zone.appliedCount()).isZero();
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    zone.failNext(new ActuationException(Failure.PERMANENT, "dns/inmemory", "REFUSED"));
    assertThatThrownBy(() -> dns.apply(1, "p", routed(EAST))).hasMessageContaining("REFUSED");
    assertThat(sleeper.sleeps()).isEmpty();
  }

  @Test
  void aStaleEpochIsNeverRetried() throws Exception {
    dns.apply(9, "p", routed(EAST));
    assertThatThrownBy(() -> dns.apply(8, "p", routed(WEST))).isInstanceOf(FencedException.class);
    assertThat(sleeper.sleeps()).isEmpty();
    assertThat(zone.appliedCount()).isEqualTo(1);
  }

  @Test
  void aRefusedPreconditionThatStillHoldsIsAPermanentErrorNotARace() throws Exception {
    dns.apply(1, "p", routed(EAST));
    zone.failNext(new PreconditionFailedException("dns/inmemory", "refused for another reason"));
    assertThatThrownBy(() -> dns.apply(2, "p", routed(WEST)))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.failure()).isEqualTo(Failure.PERMANENT))
        .hasMessageContaining("although its preconditions hold");
  }

  @Test
  void aLostRaceAgainstOurOwnEpochIsRetriedAfterReReading() throws Exception {
    dns.apply(3, "p", routed(EAST));
    // Between our read and our write, a retry of the same term moved the records (same epoch).
    DnsActuatorContract.RacingProvider racing =
        new DnsActuatorContract.RacingProvider(zone, () -> dns.apply(4, "p-other", routed(EAST, WEST)));
    DnsActuator same =
        new DnsActuator(
            racing, Fixtures.config("acme", new ProviderSettings.InMemory(), "example.com.", "example.com."),
            REGIONS, clock, sleeper, new SplittableRandom(11));

    same.apply(4, "p", routed(WEST));

    assertThat(racing.refusedByServer).isInstanceOf(PreconditionFailedException.class);
    same.verify(4, routed(WEST));
  }

  @Test
  void verifyWantsTheOwnershipAtTheCallersEpoch() throws Exception {
    dns.apply(2, "p", routed(EAST));
    assertThatThrownBy(() -> dns.verify(3, routed(EAST)))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("ownership is at epoch 2, not 3");
  }

  @Test
  void checkOwnershipAcceptsAFreshZoneAndOurOwnNames() throws Exception {
    dns.checkOwnership();
    dns.apply(2, "p", routed(EAST));
    dns.checkOwnership();
    assertThat(dns.read().ownerEpoch()).isEqualTo(2);
    assertThat(dns.name()).isEqualTo("dns/inmemory");
  }
}
