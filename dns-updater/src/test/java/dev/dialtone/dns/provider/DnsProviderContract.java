package dev.dialtone.dns.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.dns.ownership.OwnerRecord;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import dev.dialtone.dns.record.RecordType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link DnsProvider} must do, run against the in-memory fake and the real servers
 * (BIND, moto) so the fake is certified by the same tests.
 */
public abstract class DnsProviderContract {
  private static final AtomicInteger names = new AtomicInteger();
  protected static final Duration TTL = Duration.ofSeconds(30);

  /** The provider under test, for the zone {@link #zone()}. */
  protected abstract DnsProvider provider();

  /** The zone the provider writes, e.g. {@code example.com.}. */
  protected abstract String zone();

  /** A name no other test uses. */
  protected String freshName() {
    return "c" + names.incrementAndGet() + "-" + System.identityHashCode(this) + "." + zone();
  }

  protected static RecordSet owner(String name, String deployment, long epoch) {
    return new RecordSet(OwnerRecord.keyFor(name), TTL, List.of(new OwnerRecord(deployment, epoch).txtData()));
  }

  protected static RecordSet set(String name, RecordType type, String... data) {
    return RecordSet.of(name, type, TTL, List.of(data));
  }

  /** Creates {@code sets} with {@code name}'s owner at {@code epoch}, where nothing was owned. */
  protected void claim(String name, long epoch, RecordSet... sets) throws Exception {
    List<RecordSet> upserts = new java.util.ArrayList<>(List.of(sets));
    upserts.add(owner(name, "acme", epoch));
    provider().apply(new ChangeSet(List.of(new Precondition(OwnerRecord.keyFor(name), null)), upserts, List.of()));
  }

  private Map<RecordKey, RecordSet> read(RecordKey... keys) throws Exception {
    return provider().read(List.of(keys)).rrsets();
  }

  @Test
  void readsNothingForNamesThatDoNotExist() throws Exception {
    String name = freshName();
    assertThat(read(new RecordKey(name, RecordType.A), OwnerRecord.keyFor(name))).isEmpty();
  }

  @Test
  void createsEveryTypeInOneChangeAndReadsItBackExactly() throws Exception {
    String name = freshName();
    String sip = "_sip._udp." + name;
    RecordSet a = set(name, RecordType.A, "192.0.2.10", "192.0.2.11");
    RecordSet aaaa = set(name, RecordType.AAAA, "2001:db8::10");
    RecordSet srv = set(sip, RecordType.SRV, "10 0 5060 edge.us-east.example.net.", "20 0 5070 edge.us-west.example.net.");
    RecordSet cname = set("www." + name, RecordType.CNAME, "edge.us-east.example.net.");
    claim(name, 3, a, aaaa, srv, cname);

    Map<RecordKey, RecordSet> seen =
        read(a.key(), aaaa.key(), srv.key(), cname.key(), OwnerRecord.keyFor(name), new RecordKey(name, RecordType.CNAME));
    assertThat(seen).containsOnlyKeys(a.key(), aaaa.key(), srv.key(), cname.key(), OwnerRecord.keyFor(name));
    assertThat(seen.get(a.key())).isEqualTo(a);
    assertThat(seen.get(aaaa.key())).isEqualTo(aaaa);
    assertThat(seen.get(srv.key())).isEqualTo(srv);
    assertThat(seen.get(cname.key())).isEqualTo(cname);
    assertThat(seen.get(OwnerRecord.keyFor(name))).isEqualTo(owner(name, "acme", 3));
  }

  @Test
  void replacesAndDeletesUnderTheExactCurrentOwner() throws Exception {
    String name = freshName();
    RecordSet a = set(name, RecordType.A, "192.0.2.10");
    RecordSet aaaa = set(name, RecordType.AAAA, "2001:db8::10");
    claim(name, 3, a, aaaa);

    RecordSet shifted = set(name, RecordType.A, "198.51.100.20");
    provider()
        .apply(
            new ChangeSet(
                List.of(new Precondition(OwnerRecord.keyFor(name), owner(name, "acme", 3))),
                List.of(shifted, owner(name, "acme", 4)),
                List.of(aaaa)));

    Map<RecordKey, RecordSet> seen = read(a.key(), aaaa.key(), OwnerRecord.keyFor(name));
    assertThat(seen).containsOnlyKeys(a.key(), OwnerRecord.keyFor(name));
    assertThat(seen.get(a.key())).isEqualTo(shifted);
    assertThat(seen.get(OwnerRecord.keyFor(name))).isEqualTo(owner(name, "acme", 4));
  }

  @Test
  void shiftsAgainAndAgainWithinOneEpoch() throws Exception {
    // One leadership term makes many plans: the owner record keeps its value from one to the next.
    String name = freshName();
    claim(name, 7, set(name, RecordType.A, "192.0.2.10"));

    for (String address : List.of("198.51.100.20", "192.0.2.10", "198.51.100.20")) {
      provider()
          .apply(
              new ChangeSet(
                  List.of(new Precondition(OwnerRecord.keyFor(name), owner(name, "acme", 7))),
                  List.of(set(name, RecordType.A, address), owner(name, "acme", 7)),
                  List.of()));
      Map<RecordKey, RecordSet> seen = read(new RecordKey(name, RecordType.A), OwnerRecord.keyFor(name));
      assertThat(seen.get(new RecordKey(name, RecordType.A))).isEqualTo(set(name, RecordType.A, address));
      assertThat(seen.get(OwnerRecord.keyFor(name))).isEqualTo(owner(name, "acme", 7));
    }
  }

  @Test
  void refusesAStalePreconditionAndChangesNothing() throws Exception {
    String name = freshName();
    RecordSet a = set(name, RecordType.A, "192.0.2.10");
    claim(name, 5, a);

    // A writer that read the owner at epoch 4 (stale) tries to move the records.
    ChangeSet stale =
        new ChangeSet(
            List.of(new Precondition(OwnerRecord.keyFor(name), owner(name, "acme", 4))),
            List.of(set(name, RecordType.A, "203.0.113.66"), owner(name, "acme", 4)),
            List.of());
    assertThatThrownBy(() -> provider().apply(stale)).isInstanceOf(PreconditionFailedException.class);

    Map<RecordKey, RecordSet> seen = read(a.key(), OwnerRecord.keyFor(name));
    assertThat(seen.get(a.key())).isEqualTo(a);
    assertThat(seen.get(OwnerRecord.keyFor(name))).isEqualTo(owner(name, "acme", 5));
  }

  @Test
  void refusesToClaimANameSomeoneAlreadyOwns() throws Exception {
    String name = freshName();
    RecordSet a = set(name, RecordType.A, "192.0.2.10");
    claim(name, 1, a);

    assertThatThrownBy(() -> claim(name, 9, set(name, RecordType.A, "203.0.113.66")))
        .isInstanceOf(PreconditionFailedException.class);
    assertThat(read(a.key()).get(a.key())).isEqualTo(a);
  }
}
