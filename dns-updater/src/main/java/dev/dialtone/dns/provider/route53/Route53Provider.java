package dev.dialtone.dns.provider.route53;

import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.dns.provider.ChangeSet;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.PreconditionFailedException;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import dev.dialtone.config.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.InvalidChangeBatchException;
import software.amazon.awssdk.services.route53.model.InvalidInputException;
import software.amazon.awssdk.services.route53.model.PriorRequestNotCompleteException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * Route 53 through {@link Route53Api}. A shift is ONE change batch: for every ownership record a
 * DELETE of its exact current value and an UPSERT of the new one (a CREATE for a first claim) —
 * Route 53 rejects the whole batch if the value to delete is not exactly what it holds, which is
 * the compare-and-set — plus UPSERTs and DELETEs of the managed records. Throttling and {@code
 * PriorRequestNotComplete} are retried with backoff and jitter, and {@code INSYNC} is awaited, all
 * within one bound per call ({@code syncTimeout}, at most the DNS actuator's retry budget, itself
 * inside the plan's attempt timeout). A change still {@code PENDING} at the bound is applied, not
 * failed: Route 53 accepted the batch atomically and its API reads it back; a retry would not make
 * it propagate sooner, and a one-minute wait would outlive every plan attempt.
 */
public final class Route53Provider implements DnsProvider {
  private static final Logger log = LoggerFactory.getLogger(Route53Provider.class);
  private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "PriorRequestNotComplete", "RequestLimitExceeded");

  private final Route53Api api;
  private final String hostedZoneId;
  private final Duration syncTimeout;
  private final Duration pollInterval;
  private final Backoff backoff;
  private final int maxThrottledAttempts;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  /**
   * @param syncTimeout the bound of one read or apply: throttling retries and the wait for {@code INSYNC}
   * @param pollInterval between {@code GetChange} calls
   * @param backoff for throttling and prior-request-not-complete
   * @param maxThrottledAttempts attempts per call before giving up as transient
   */
  public Route53Provider(
      Route53Api api,
      String hostedZoneId,
      Duration syncTimeout,
      Duration pollInterval,
      Backoff backoff,
      int maxThrottledAttempts,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random) {
    this.api = api;
    this.hostedZoneId = hostedZoneId;
    this.syncTimeout = syncTimeout;
    this.pollInterval = pollInterval;
    this.backoff = backoff;
    this.maxThrottledAttempts = maxThrottledAttempts;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
  }

  @Override
  public String name() {
    return "route53";
  }

  private String actuator() {
    return "dns/" + name();
  }

  @Override
  public ZoneSnapshot read(Collection<RecordKey> keys) throws ActuationException {
    Map<RecordKey, RecordSet> found = new HashMap<>();
    Instant deadline = clock.instant().plus(syncTimeout);
    for (RecordKey key : keys) {
      // Listing starts at name/type and may return the next set: keep only an exact match.
      List<ResourceRecordSet> sets =
          call("list " + key, deadline, () -> api.list(hostedZoneId, key.name(), RRType.fromValue(key.type().name()), 1));
      for (ResourceRecordSet s : sets) {
        if (RecordKey.absolute(unescape(s.name())).equals(key.name())
            && key.type().name().equals(s.typeAsString())
            && s.hasResourceRecords()) {
          List<String> data = s.resourceRecords().stream().map(ResourceRecord::value).toList();
          found.put(key, new RecordSet(key, Duration.ofSeconds(s.ttl()), data));
        }
      }
    }
    return new ZoneSnapshot(found);
  }

  @Override
  public void apply(ChangeSet change) throws ActuationException {
    Instant deadline = clock.instant().plus(syncTimeout);
    List<RecordKey> claims =
        change.preconditions().stream().filter(p -> p.expected() == null).map(Precondition::key).toList();
    if (!claims.isEmpty()) {
      // Route 53 itself rejects a CREATE of an existing set; moto (the local stand-in) does not
      // when the value differs, so a first claim is also checked by a read just before sending.
      ZoneSnapshot now = read(claims);
      if (!now.rrsets().isEmpty()) {
        throw new PreconditionFailedException(
            actuator(), "cannot claim " + claims + ": already holds " + now.rrsets().values());
      }
    }
    List<Change> changes = new ArrayList<>();
    Set<RecordKey> claimed = Set.copyOf(claims);
    for (Precondition p : change.preconditions()) {
      if (p.expected() != null) {
        changes.add(change(ChangeAction.DELETE, p.expected()));
      }
    }
    for (RecordSet d : change.deletes()) {
      changes.add(change(ChangeAction.DELETE, d));
    }
    for (RecordSet u : change.upserts()) {
      // A claimed ownership record is CREATEd: the batch fails if it exists. A held one was just
      // DELETEd with its exact old value (the compare-and-set) and is written back by UPSERT: the
      // same within Route 53's atomic batch, and what moto accepts when the value is unchanged
      // (a second shift within one epoch), where it refuses a CREATE of a value it created before.
      changes.add(change(claimed.contains(u.key()) ? ChangeAction.CREATE : ChangeAction.UPSERT, u));
    }
    String changeId;
    try {
      changeId = call("change", deadline, () -> api.change(hostedZoneId, "dialtone " + change.preconditions(), changes));
    } catch (ActuationException e) {
      if (e.getCause() instanceof InvalidChangeBatchException || e.getCause() instanceof InvalidInputException) {
        // Route 53 says "values provided do not match" / "already exists"; moto says InvalidInput.
        throw new PreconditionFailedException(
            actuator(), "Route 53 rejected the change batch (" + e.getCause().getMessage() + "): an ownership record no longer holds "
                + change.preconditions());
      }
      throw e;
    }
    awaitInSync(changeId, deadline);
  }

  private void awaitInSync(String changeId, Instant deadline) throws ActuationException {
    while (true) {
      ChangeStatus status = call("get change " + changeId, deadline, () -> api.status(changeId));
      if (status == ChangeStatus.INSYNC) {
        return;
      }
      Duration left = Duration.between(clock.instant(), deadline);
      if (left.compareTo(pollInterval) < 0) {
        log.info("route53 change {} still {} after {}: applied (Route 53 reads it back); its name servers"
            + " follow within about a minute", changeId, status, syncTimeout);
        return;
      }
      pause(pollInterval);
    }
  }

  private <T> T call(String what, Instant deadline, Supplier<T> request) throws ActuationException {
    for (int attempt = 0; ; attempt++) {
      try {
        return request.get();
      } catch (AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        boolean throttled = e instanceof PriorRequestNotCompleteException || e.isThrottlingException() || THROTTLING.contains(code);
        Duration wait = throttled && attempt + 1 < maxThrottledAttempts ? backoff.delay(attempt + 1, random) : null;
        if (wait != null && clock.instant().plus(wait).isBefore(deadline)) {
          log.info("route53 {} throttled ({}), retrying in {} ms", what, code, wait.toMillis());
          pause(wait);
          continue;
        }
        Failure failure = throttled || e.statusCode() >= 500 ? Failure.TRANSIENT : Failure.PERMANENT;
        throw new ActuationException(failure, actuator(), what + " failed: " + code + " " + e.getMessage(), e);
      } catch (SdkClientException e) {
        throw new ActuationException(Failure.TRANSIENT, actuator(), what + " failed: " + e.getMessage(), e);
      } catch (SdkException e) {
        throw new ActuationException(Failure.PERMANENT, actuator(), what + " failed: " + e.getMessage(), e);
      }
    }
  }

  private void pause(Duration duration) throws ActuationException {
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActuationException(Failure.TRANSIENT, actuator(), "interrupted", e);
    }
  }

  private static Change change(ChangeAction action, RecordSet set) {
    return Change.builder()
        .action(action)
        .resourceRecordSet(
            ResourceRecordSet.builder()
                .name(set.name())
                .type(set.type().name())
                .ttl(set.ttl().toSeconds())
                .resourceRecords(set.data().stream().map(v -> ResourceRecord.builder().value(v).build()).toList())
                .build())
        .build();
  }

  // Route 53 returns some characters as octal escapes, e.g. "\052" for "*".
  private static String unescape(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '\\' && i + 3 < name.length() && name.substring(i + 1, i + 4).matches("[0-7]{3}")) {
        out.append((char) Integer.parseInt(name.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        out.append(c);
      }
    }
    String s = out.toString();
    return s.endsWith(".") ? s : s + ".";
  }

  @Override
  public void close() {
    api.close();
  }

  @Override
  public String toString() {
    return "route53[zone=" + hostedZoneId + "]";
  }
}
