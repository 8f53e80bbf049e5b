package dev.dialtone.dns.actuator;

import static dev.dialtone.dns.Fixtures.EAST;
import static dev.dialtone.dns.Fixtures.EU;
import static dev.dialtone.dns.Fixtures.REGIONS;
import static dev.dialtone.dns.Fixtures.WEST;
import static dev.dialtone.dns.Fixtures.routed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.dns.Fixtures;
import dev.dialtone.dns.config.DnsConfig;
import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.ownership.OwnerRecord;
import dev.dialtone.dns.provider.ChangeSet;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.PreconditionFailedException;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import dev.dialtone.dns.record.RecordType;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Shift scenarios every provider must pass through {@link DnsActuator}: run on the in-memory
 * fake, on BIND and on moto. Each test manages its own names so a shared server is fine.
 */
public abstract class DnsActuatorContract {
  private static final AtomicInteger domains = new AtomicInteger();

  /** A provider for {@link #zone()}. */
  protected abstract DnsProvider provider();

  /** The settings that would build {@link #provider()}. */
  protected abstract ProviderSettings settings();

  protected abstract String zone();

  /** A domain inside the zone that no other test uses. */
  protected String freshDomain() {
    return "t" + domains.incrementAndGet() + "-" + System.identityHashCode(this) + "." + zone();
  }

  protected DnsActuator actuator(String deployment, String domain, DnsProvider provider) {
    DnsConfig config = Fixtures.config(deployment, settings(), zone(), domain);
    return new DnsActuator(provider, config, REGIONS, Clock.systemUTC(), Sleeper.system(), new SplittableRandom(3));
  }

  protected DnsActuator actuator(String domain) {
    return actuator("acme", domain, provider());
  }

  @Test
  void shiftsAddressAndSrvRecordsAndReadsThemBack() throws Exception {
    DnsActuator dns = actuator(freshDomain());
    dns.checkOwnership();

    dns.apply(1, "plan-1", routed(EAST, WEST));
    dns.verify(1, routed(EAST, WEST));
    ObservedRouting first = dns.read();
    assertThat(first.regionIds()).containsExactly("us-east", "us-west");
    assertThat(first.ownerEpoch()).isEqualTo(1);
    assertThat(first.matches(routed(EAST, WEST))).isTrue();

    dns.apply(2, "plan-2", routed(WEST, EU, EAST));
    dns.verify(2, routed(WEST, EU, EAST));
    ObservedRouting second = dns.read();
    assertThat(second.regionIds()).containsExactly("us-west", "eu-west", "us-east");
    assertThat(second.ownerEpoch()).isEqualTo(2);
    assertThatThrownBy(() -> dns.verify(2, routed(EAST, WEST)))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.isRetryable()).isTrue())
        .hasMessageContaining("read back does not match us-east > us-west");
  }

  @Test
  void outageModePublishesTheFallbackTargets() throws Exception {
    DnsActuator dns = actuator(freshDomain());
    dns.apply(1, "p", routed(EAST));
    dns.apply(2, "p-outage", new TrafficTarget.Outage());
    dns.verify(2, new TrafficTarget.Outage());
    assertThat(dns.read().outageMode()).isTrue();
  }

  /**
   * One leader term shifting twice: the ownership record keeps its value, so the compare-and-set
   * is on that same value. Not run on moto, which rejects a DELETE and CREATE of an identical set
   * in one batch (real Route 53 validates a batch in sequence and accepts it; the batch's shape is
   * pinned by {@code Route53ProviderTest}).
   */
  protected void shiftsTwiceWithinOneEpoch() throws Exception {
    DnsActuator dns = actuator(freshDomain());
    dns.apply(7, "p1", routed(EAST, WEST));
    dns.apply(7, "p2", new TrafficTarget.Outage());
    dns.verify(7, new TrafficTarget.Outage());
    dns.apply(7, "p3", routed(WEST));
    dns.verify(7, routed(WEST));
    assertThat(dns.read().ownerEpoch()).isEqualTo(7);
  }

  @Test
  void applyingTheSameTargetTwiceChangesNothing() throws Exception {
    String domain = freshDomain();
    CountingProvider counting = new CountingProvider(provider());
    DnsActuator dns = actuator("acme", domain, counting);
    dns.apply(3, "p", routed(EAST, WEST));
    dns.apply(3, "p", routed(EAST, WEST));
    assertThat(counting.applied).isEqualTo(1);
  }

  @Test
  void aStaleEpochIsFencedAndChangesNothing() throws Exception {
    DnsActuator dns = actuator(freshDomain());
    dns.apply(5, "new-leader", routed(EAST, WEST));

    assertThatThrownBy(() -> dns.apply(4, "old-leader", routed(WEST, EAST)))
        .isInstanceOfSatisfying(FencedException.class, e -> {
          assertThat(e.callerEpoch()).isEqualTo(4);
          assertThat(e.ownerEpoch()).isEqualTo(5);
        });
    assertThat(dns.read().regionIds()).containsExactly("us-east", "us-west");
    assertThatThrownBy(() -> dns.verify(4, routed(EAST, WEST))).isInstanceOf(FencedException.class);
  }

  @Test
  void aStaleLeaderThatLostTheRaceIsRefusedByTheServerThenFenced() throws Exception {
    String domain = freshDomain();
    DnsActuator newLeader = actuator(domain);
    newLeader.apply(4, "old-term", routed(EAST, WEST));
    // The old leader (epoch 4) reads, then a new leader (epoch 5) writes before the old one sends.
    RacingProvider racing = new RacingProvider(provider(), () -> newLeader.apply(5, "new-term", routed(WEST, EAST)));
    DnsActuator oldLeader = actuator("acme", domain, racing);

    assertThatThrownBy(() -> oldLeader.apply(4, "old-term", routed(EU)))
        .isInstanceOfSatisfying(FencedException.class, e -> assertThat(e.ownerEpoch()).isEqualTo(5));
    assertThat(racing.refusedByServer).isInstanceOf(PreconditionFailedException.class);
    assertThat(newLeader.read().regionIds()).containsExactly("us-west", "us-east");
  }

  @Test
  void aNameOwnedByAnotherDeploymentIsLeftUntouched() throws Exception {
    String domain = freshDomain();
    String name = "voice." + domain;
    RecordSet theirs = RecordSet.of(name, RecordType.A, Duration.ofSeconds(30), List.of("192.0.2.99"));
    RecordSet theirOwner =
        new RecordSet(OwnerRecord.keyFor(name), Duration.ofSeconds(30), List.of(new OwnerRecord("globex", 12).txtData()));
    provider().apply(new ChangeSet(List.of(new Precondition(theirOwner.key(), null)), List.of(theirs, theirOwner), List.of()));

    DnsActuator dns = actuator(domain);
    assertThatThrownBy(dns::checkOwnership)
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("refusing to start")
        .hasMessageContaining("globex");
    assertThatThrownBy(() -> dns.apply(99, "p", routed(EAST)))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT));

    Map<RecordKey, RecordSet> after = provider().read(List.of(theirs.key(), theirOwner.key(), new RecordKey("_sip._udp." + name, RecordType.SRV))).rrsets();
    assertThat(after).containsOnlyKeys(theirs.key(), theirOwner.key());
    assertThat(after.get(theirs.key())).isEqualTo(theirs);
    assertThat(after.get(theirOwner.key())).isEqualTo(theirOwner);
  }

  @Test
  void twoHundredShiftsInARowLeaveExactlyTheExpectedRrsets() throws Exception {
    String domain = freshDomain();
    DnsActuator dns = actuator(domain);
    List<TrafficTarget> targets = List.of(routed(EAST, WEST), routed(WEST, EU), routed(EU, EAST, WEST), new TrafficTarget.Outage());
    TrafficTarget last = null;
    for (int i = 0; i < 200; i++) {
      last = targets.get(i % targets.size());
      dns.apply(i + 1, "shift-" + i, last);
    }
    dns.verify(200, last);

    List<RecordKey> everything = new ArrayList<>();
    for (RecordType type : RecordType.values()) {
      everything.add(new RecordKey("voice." + domain, type));
      everything.add(new RecordKey("_sip._udp.voice." + domain, type));
    }
    everything.add(OwnerRecord.keyFor("voice." + domain));
    everything.add(OwnerRecord.keyFor("_sip._udp.voice." + domain));
    ZoneSnapshot zone = provider().read(everything);
    // The 200th shift (i = 199) is the outage target: A + SRV, no AAAA, two owners at epoch 200.
    assertThat(zone.rrsets().values().stream().map(RecordSet::toString).sorted())
        .containsExactly(
            "_dialtone-owner._sip._udp.voice." + domain + " TXT ttl=30 [\"dialtone deployment=acme epoch=200\"]",
            "_dialtone-owner.voice." + domain + " TXT ttl=30 [\"dialtone deployment=acme epoch=200\"]",
            "_sip._udp.voice." + domain + " SRV ttl=30 [10 0 5060 pbx.example.net.]",
            "voice." + domain + " A ttl=30 [192.0.2.250]");
  }

  /** Passes everything to another provider; subclasses intercept {@link #apply}. */
  abstract static class DelegatingProvider implements DnsProvider {
    final DnsProvider delegate;

    DelegatingProvider(DnsProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public String name() {
      return delegate.name();
    }

    @Override
    public ZoneSnapshot read(Collection<RecordKey> keys) throws ActuationException {
      return delegate.read(keys);
    }
  }

  /** Counts change sets that reach the provider. */
  static final class CountingProvider extends DelegatingProvider {
    int applied;

    CountingProvider(DnsProvider delegate) {
      super(delegate);
    }

    @Override
    public void apply(ChangeSet change) throws ActuationException {
      applied++;
      delegate.apply(change);
    }
  }

  /** Lets another writer in between our read and our first write: a deterministic race. */
  static final class RacingProvider extends DelegatingProvider {
    interface Intruder {
      void write() throws Exception;
    }

    private Intruder intruder;
    Exception refusedByServer;

    RacingProvider(DnsProvider delegate, Intruder intruder) {
      super(delegate);
      this.intruder = intruder;
    }

    @Override
    public void apply(ChangeSet change) throws ActuationException {
      if (intruder != null) {
        Intruder once = intruder;
        intruder = null;
        try {
          once.write();
        } catch (Exception e) {
          throw new IllegalStateException("the intruding write failed", e);
        }
      }
      try {
        delegate.apply(change);
      } catch (PreconditionFailedException e) {
        refusedByServer = e;
        throw e;
      }
    }
  }
}
