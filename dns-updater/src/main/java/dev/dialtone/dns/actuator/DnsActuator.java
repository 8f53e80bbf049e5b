package dev.dialtone.dns.actuator;

import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.dns.config.DnsConfig;
import dev.dialtone.dns.ownership.ChangePlan;
import dev.dialtone.dns.ownership.ChangePlanner;
import dev.dialtone.dns.ownership.OwnerRecord;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.PreconditionFailedException;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.DesiredRecords;
import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import dev.dialtone.dns.record.RecordType;
import dev.dialtone.dns.record.SipTarget;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves traffic by DNS: computes the records a target asks for, then writes them in one change
 * under a compare-and-set on the ownership records, with the caller's epoch. Transient failures
 * are retried with exponential backoff and jitter inside the configured budget; a stale epoch is
 * never retried and surfaces as {@link FencedException}. Verification reads back from the server.
 */
public final class DnsActuator implements TrafficActuator {
  private static final Logger log = LoggerFactory.getLogger(DnsActuator.class);

  private final DnsProvider provider;
  private final DnsConfig config;
  private final DesiredRecords desired;
  private final ChangePlanner planner;
  private final Supplier<List<RegionEdge>> knownRegions;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;

  /**
   * @param knownRegions every region's edge, to name the regions found in DNS when reading
   */
  public DnsActuator(
      DnsProvider provider, DnsConfig config, List<RegionEdge> knownRegions, Clock clock, Sleeper sleeper, RandomGenerator random) {
    this(provider, config, () -> knownRegions, clock, sleeper, random);
  }

  /**
   * @param knownRegions the regions' edges as they are now (regions may be registered at run time),
   *     to name the regions found in DNS when reading
   */
  public DnsActuator(DnsProvider provider, DnsConfig config, Supplier<List<RegionEdge>> knownRegions, Clock clock,
      Sleeper sleeper, RandomGenerator random) {
    this.provider = provider;
    this.config = config;
    this.desired = config.desiredRecords();
    this.planner =
        new ChangePlanner(
            config.deployment(), desired.names(), config.records().stream().map(ManagedRecord::key).toList(), config.ownerTtl());
    this.knownRegions = knownRegions;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
  }

  @Override
  public String name() {
    return "dns/" + provider.name();
  }

  /**
   * Refuses to start when a managed name belongs to another deployment or holds data nobody
   * owns: call once before the first apply.
   */
  public void checkOwnership() throws ActuationException {
    if (planner.checkOwnership(snapshot(), Long.MAX_VALUE) instanceof ChangePlan.Foreign foreign) {
      throw new ActuationException(Failure.PERMANENT, name(), "refusing to start: " + foreign.reason());
    }
  }

  /** Everything Dialtone manages as the server holds it now: records and ownership. */
  public ZoneSnapshot snapshot() throws ActuationException {
    return provider.read(planner.keysToRead());
  }

  @Override
  public ObservedRouting read() throws ActuationException {
    return observe(snapshot());
  }

  /** What {@link #apply} would do now, without changing anything (dry run, break-glass preview). */
  public ChangePlan preview(long epoch, TrafficTarget target) throws ActuationException {
    return planner.plan(snapshot(), want(target), epoch);
  }

  @Override
  public void apply(long epoch, String planId, TrafficTarget target) throws ActuationException {
    Map<RecordKey, RecordSet> want = want(target);
    Instant deadline = clock.instant().plus(config.retryBudget());
    String tag = "[epoch=" + epoch + " plan=" + planId + "]";
    for (int attempt = 0; ; attempt++) {
      try {
        ZoneSnapshot current = snapshot();
        ChangePlan plan = planner.plan(current, want, epoch);
        switch (plan) {
          case ChangePlan.UpToDate up -> {
            log.info("{} {} {}: {}", tag, name(), target.describe(), up.reason());
            return;
          }
          case ChangePlan.Fenced fenced -> {
            log.info("{} {} fenced: {}", tag, name(), fenced.reason());
            throw new FencedException(name(), epoch, fenced.ownerEpoch());
          }
          case ChangePlan.Foreign foreign ->
              throw new ActuationException(Failure.PERMANENT, name(), foreign.reason());
          case ChangePlan.Apply change -> {
            try {
              provider.apply(change.change());
              log.info("{} {} shifted to {}: {}", tag, name(), target.describe(), change.reason());
              return;
            } catch (PreconditionFailedException lost) {
              // Someone wrote between our read and our write: re-read to tell fencing from a race.
              ZoneSnapshot after = snapshot();
              if (change.change().preconditions().stream().allMatch(p -> holds(p, after))) {
                throw new ActuationException(
                    Failure.PERMANENT, name(), "change refused although its preconditions hold: " + lost.getMessage(), lost);
              }
              throw lost;
            }
          }
        }
      } catch (FencedException e) {
        throw e;
      } catch (ActuationException e) {
        if (!e.isRetryable()) {
          log.warn("{} {} failed permanently: {}", tag, name(), e.getMessage());
          throw e;
        }
        Duration wait = config.backoff().delay(attempt + 1, random);
        if (clock.instant().plus(wait).isAfter(deadline)) {
          log.warn("{} {} giving up after {} attempts within {}: {}", tag, name(), attempt + 1, config.retryBudget(), e.getMessage());
          throw new ActuationException(
              Failure.TRANSIENT, name(),
              "gave up after " + (attempt + 1) + " attempts within " + config.retryBudget() + ": " + e.getMessage(), e);
        }
        log.info("{} {} attempt {} failed ({}), retrying in {} ms", tag, name(), attempt + 1, e.getMessage(), wait.toMillis());
        pause(wait);
      }
    }
  }

  /**
   * Reads back from the server: the records must be exactly what {@code target} asks for, and
   * the ownership records must carry {@code epoch}.
   */
  @Override
  public void verify(long epoch, TrafficTarget target) throws ActuationException {
    Map<RecordKey, RecordSet> want = want(target);
    ZoneSnapshot seen = snapshot();
    long owner = ownerEpoch(seen);
    if (owner > epoch) {
      throw new FencedException(name(), epoch, owner);
    }
    List<String> differences = new ArrayList<>();
    if (owner != epoch) {
      differences.add("ownership is at epoch " + owner + ", not " + epoch);
    }
    for (ManagedRecord r : config.records()) {
      Optional<RecordSet> got = seen.get(r.key());
      Optional<RecordSet> expected = Optional.ofNullable(want.get(r.key()));
      if (!got.equals(expected)) {
        differences.add(r.key() + " is " + got.map(s -> s.data().toString()).orElse("absent")
            + ", expected " + expected.map(s -> s.data().toString()).orElse("absent"));
      }
    }
    if (!differences.isEmpty()) {
      throw new ActuationException(
          Failure.TRANSIENT, name(), "read back does not match " + target.describe() + ": " + differences);
    }
  }

  private Map<RecordKey, RecordSet> want(TrafficTarget target) throws ActuationException {
    try {
      return desired.compute(target);
    } catch (IllegalArgumentException e) {
      throw new ActuationException(Failure.PERMANENT, name(), e.getMessage(), e);
    }
  }

  private static boolean holds(Precondition p, ZoneSnapshot snapshot) {
    return p.heldBy(snapshot.get(p.key()).orElse(null));
  }

  private long ownerEpoch(ZoneSnapshot snapshot) {
    long max = 0;
    for (String name : desired.names()) {
      Optional<RecordSet> owner = snapshot.get(OwnerRecord.keyFor(name));
      if (owner.isPresent() && owner.get().data().size() == 1) {
        Optional<OwnerRecord> parsed = OwnerRecord.parse(owner.get().data().get(0));
        if (parsed.isPresent() && parsed.get().deployment().equals(config.deployment())) {
          max = Math.max(max, parsed.get().epoch());
        }
      }
    }
    return max;
  }

  private ObservedRouting observe(ZoneSnapshot snapshot) {
    String detail = new TreeMap<>(snapshot.rrsets()).values().stream().map(RecordSet::toString).toList().toString();
    long epoch = ownerEpoch(snapshot);
    if (!config.fallback().isEmpty() && matches(snapshot, desired.compute(new TrafficTarget.Outage()))) {
      return new ObservedRouting(List.of(), true, epoch, detail);
    }
    return new ObservedRouting(regionsIn(snapshot), false, epoch, detail);
  }

  private boolean matches(ZoneSnapshot snapshot, Map<RecordKey, RecordSet> want) {
    return config.records().stream()
        .allMatch(r -> snapshot.get(r.key()).equals(Optional.ofNullable(want.get(r.key()))));
  }

  // The regions DNS routes to, in order: from the SRV priorities when an SRV is managed, else the
  // one known region whose edge the address records match.
  private List<String> regionsIn(ZoneSnapshot snapshot) {
    Optional<ManagedRecord> srv = config.records().stream().filter(r -> r.type() == RecordType.SRV).findFirst();
    if (srv.isPresent()) {
      Optional<RecordSet> set = snapshot.get(srv.get().key());
      if (set.isEmpty()) {
        return List.of();
      }
      List<String> ordered = new ArrayList<>();
      set.get().data().stream()
          .map(d -> d.split(" "))
          .sorted(Comparator.comparingInt(d -> Integer.parseInt(d[0])))
          .forEach(d -> ordered.add(regionFor(d[3], Integer.parseInt(d[2]))));
      return ordered;
    }
    for (RegionEdge edge : knownRegions.get()) {
      try {
        if (matches(snapshot, desired.compute(new TrafficTarget.Routed(List.of(edge))))) {
          return List.of(edge.regionId());
        }
      } catch (IllegalArgumentException noDataForThisConfig) {
        // This region cannot be what DNS holds.
      }
    }
    return List.of();
  }

  private String regionFor(String host, int port) {
    for (RegionEdge edge : knownRegions.get()) {
      if (edge.sipUri() != null) {
        SipTarget sip = SipTarget.of(edge.sipUri());
        if (sip.host().equals(host) && sip.port() == port) {
          return edge.regionId();
        }
      }
    }
    return host + ":" + port;
  }

  private void pause(Duration wait) throws ActuationException {
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActuationException(Failure.TRANSIENT, name(), "interrupted while backing off", e);
    }
  }

  @Override
  public String toString() {
    return name() + "[" + provider + "]";
  }
}
