package dev.dialtone.dns.provider.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.dns.ownership.OwnerRecord;
import dev.dialtone.dns.provider.ChangeSet;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.PreconditionFailedException;
import dev.dialtone.dns.record.RecordSet;
import dev.dialtone.dns.record.RecordType;
import dev.dialtone.config.Backoff;
import dev.dialtone.dns.retry.RecordingSleeper;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.PriorRequestNotCompleteException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.Route53Exception;

/**
 * What moto cannot show: throttling, {@code PENDING} propagation and the batch's exact shape,
 * through a scripted {@link Route53Api} (the SDK seam), with a fake clock.
 */
class Route53ProviderTest {
  private static final Duration TTL = Duration.ofSeconds(30);
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);
  private final ScriptedApi api = new ScriptedApi();
  private final Route53Provider provider =
      new Route53Provider(
          api, "Z1", Duration.ofSeconds(60), Duration.ofSeconds(2),
          new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)), 4, clock, sleeper, new SplittableRandom(1));

  private static final String NAME = "voice.example.com.";

  private static RecordSet owner(long epoch) {
    return new RecordSet(OwnerRecord.keyFor(NAME), TTL, List.of(new OwnerRecord("acme", epoch).txtData()));
  }

  private static ChangeSet shift() {
    return new ChangeSet(
        List.of(new Precondition(OwnerRecord.keyFor(NAME), owner(4))),
        List.of(owner(5), RecordSet.of(NAME, RecordType.A, TTL, List.of("198.51.100.20"))),
        List.of(RecordSet.of(NAME, RecordType.AAAA, TTL, List.of("2001:db8::1"))));
  }

  @Test
  void sendsOneBatchThatDeletesTheExactOldOwnerAndWritesTheNewOne() throws Exception {
    provider.apply(shift());

    assertThat(api.batches).singleElement().satisfies(batch -> {
      assertThat(batch).extracting(c -> c.actionAsString() + " " + c.resourceRecordSet().name() + " " + c.resourceRecordSet().typeAsString()
              + " " + c.resourceRecordSet().resourceRecords().get(0).value())
          .containsExactly(
              "DELETE _dialtone-owner.voice.example.com. TXT \"dialtone deployment=acme epoch=4\"",
              "DELETE voice.example.com. AAAA 2001:db8:0:0:0:0:0:1",
              "UPSERT _dialtone-owner.voice.example.com. TXT \"dialtone deployment=acme epoch=5\"",
              "UPSERT voice.example.com. A 198.51.100.20");
    });
  }

  @Test
  void withinOneEpochTheOwnerIsDeletedAndWrittenBackWithTheSameValue() throws Exception {
    provider.apply(
        new ChangeSet(
            List.of(new Precondition(OwnerRecord.keyFor(NAME), owner(5))),
            List.of(owner(5), RecordSet.of(NAME, RecordType.A, TTL, List.of("192.0.2.1"))),
            List.of()));
    assertThat(api.batches.get(0)).extracting(c -> c.actionAsString() + " " + c.resourceRecordSet().typeAsString())
        .containsExactly("DELETE TXT", "UPSERT TXT", "UPSERT A");
  }

  @Test
  void aFirstClaimCreatesTheOwner() throws Exception {
    provider.apply(
        new ChangeSet(
            List.of(new Precondition(OwnerRecord.keyFor(NAME), null)),
            List.of(owner(1), RecordSet.of(NAME, RecordType.A, TTL, List.of("192.0.2.1"))),
            List.of()));
    assertThat(api.batches.get(0)).extracting(c -> c.actionAsString() + " " + c.resourceRecordSet().typeAsString())
        .containsExactly("CREATE TXT", "UPSERT A");
  }

  @Test
  void retriesThrottlingAndPriorRequestNotCompleteWithJitteredBackoff() throws Exception {
    api.changeFailures.add(throttling());
    api.changeFailures.add(PriorRequestNotCompleteException.builder().message("prior").statusCode(400).build());

    provider.apply(shift());

    assertThat(api.batches).hasSize(1);
    assertThat(sleeper.sleeps()).hasSize(2);
    assertThat(sleeper.sleeps().get(0)).isLessThanOrEqualTo(Duration.ofMillis(100));
    assertThat(sleeper.sleeps().get(1)).isLessThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void givesUpOnThrottlingAfterTheBoundAsTransient() {
    for (int i = 0; i < 4; i++) {
      api.changeFailures.add(throttling());
    }
    assertThatThrownBy(() -> provider.apply(shift()))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("Throttling");
    assertThat(sleeper.sleeps()).hasSize(3);
  }

  @Test
  void waitsForInSyncWithinTheBoundAndLeavesAPendingChangeAppliedPastIt() throws Exception {
    api.statuses.addAll(List.of(ChangeStatus.PENDING, ChangeStatus.PENDING, ChangeStatus.INSYNC));
    provider.apply(shift());
    assertThat(sleeper.sleeps()).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(2));

    for (int i = 0; i < 40; i++) {
      api.statuses.add(ChangeStatus.PENDING);
    }
    Instant start = clock.instant();
    provider.apply(shift());
    // Polled until the 60 s bound, then applied: Route 53 took the batch, a retry would not help.
    assertThat(Duration.between(start, clock.instant())).isBetween(Duration.ofSeconds(58), Duration.ofSeconds(60));
    assertThat(api.batches).hasSize(2);
  }

  @Test
  void throttlingIsRetriedOnlyWhileTheBoundLasts() {
    Route53Provider tight = new Route53Provider(
        api, "Z1", Duration.ofMillis(500), Duration.ofMillis(100),
        new Backoff(Duration.ofMillis(400), Duration.ofSeconds(5)), 10, clock, sleeper, new SplittableRandom(1));
    for (int i = 0; i < 10; i++) {
      api.changeFailures.add(throttling());
    }
    Instant start = clock.instant();
    assertThatThrownBy(() -> tight.apply(shift()))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("Throttling");
    // Ten attempts were allowed by count; the 500 ms bound stopped the retries first.
    assertThat(Duration.between(start, clock.instant())).isLessThan(Duration.ofMillis(500));
    assertThat(sleeper.sleeps().size()).isLessThan(9);
  }

  @Test
  void aRejectedBatchIsALostCompareAndSet() {
    api.changeFailures.add(
        InvalidChangeBatchException.builder()
            .message("Tried to delete resource record set but the values provided do not match the current values")
            .statusCode(400).build());
    assertThatThrownBy(() -> provider.apply(shift())).isInstanceOf(PreconditionFailedException.class)
        .hasMessageContaining("do not match");
  }

  @Test
  void accessDeniedIsPermanent() {
    api.changeFailures.add(
        (Route53Exception) Route53Exception.builder()
            .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("no").build())
            .statusCode(403).build());
    assertThatThrownBy(() -> provider.apply(shift()))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("AccessDenied");
  }

  private static Route53Exception throttling() {
    return (Route53Exception) Route53Exception.builder()
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").build())
        .statusCode(400).build();
  }

  /** A Route 53 that follows a script. */
  private static final class ScriptedApi implements Route53Api {
    final List<List<Change>> batches = new ArrayList<>();
    final Deque<RuntimeException> changeFailures = new ArrayDeque<>();
    final Deque<ChangeStatus> statuses = new ArrayDeque<>();

    @Override
    public List<ResourceRecordSet> list(String hostedZoneId, String name, RRType type, int max) {
      return List.of();
    }

    @Override
    public String change(String hostedZoneId, String comment, List<Change> changes) {
      RuntimeException failure = changeFailures.poll();
      if (failure != null) {
        throw failure;
      }
      batches.add(changes);
      return "/change/C" + batches.size();
    }

    @Override
    public ChangeStatus status(String changeId) {
      ChangeStatus s = statuses.poll();
      return s == null ? ChangeStatus.INSYNC : s;
    }
  }
}
