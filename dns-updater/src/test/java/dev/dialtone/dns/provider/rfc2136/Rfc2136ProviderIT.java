package dev.dialtone.dns.provider.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.DnsProviderContract;
import dev.dialtone.dns.ownership.OwnerRecord;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import dev.dialtone.dns.record.RecordType;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.bind.BindServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.TSIG;

/** The provider contract against a real BIND 9, plus what only RFC 2136 has (TSIG, TCP). */
class Rfc2136ProviderIT extends DnsProviderContract {
  @RegisterExtension static final PeerExtension<BindServer> bind = PeerExtension.of(BindServer::new);

  /** The key of the servers below, which do not serve example.com. but know a dialtone-key. */
  private static final String STRANGERS_SECRET = BindServer.randomSecret();

  /** Serves the parent zone com. (and so answers NXDOMAIN, authoritatively, for example.com.'s names). */
  @RegisterExtension
  static final PeerExtension<BindServer> parent = PeerExtension.of(dir -> new BindServer(dir, "com.", STRANGERS_SECRET));

  /** Serves com. with example.com. delegated away: its answers are referrals, without the AA bit. */
  @RegisterExtension
  static final PeerExtension<BindServer> delegating =
      PeerExtension.of(dir -> new BindServer(dir, "com.", STRANGERS_SECRET, "example.com. IN NS ns1.example.net."));

  static Rfc2136Provider providerWith(TsigKey key) {
    BindServer server = bind.peer();
    return new Rfc2136Provider(new InetSocketAddress("127.0.0.1", server.port()), server.zone(), key, Duration.ofSeconds(2));
  }

  @Override
  protected DnsProvider provider() {
    try {
      return providerWith(TsigKey.read(bind.peer().tsigKeyFile()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  protected String zone() {
    return bind.peer().zone();
  }

  @Test
  void aWrongTsigKeyIsRefusedWithAClearPermanentError() {
    byte[] wrong = new byte[32];
    wrong[7] = 42;
    Rfc2136Provider impostor =
        providerWith(new TsigKey("dialtone-key", "hmac-sha256", Base64.getEncoder().encodeToString(wrong)));
    String name = freshName();

    assertThatThrownBy(() -> claimWith(impostor, name))
        .isInstanceOfSatisfying(
            ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("rejected TSIG key 'dialtone-key' (hmac-sha256)")
        .hasMessageContaining("BADSIG");
  }

  @Test
  void aWrongSecretIsRefusedOnReadsTooAndTheUpdateChangedNothing() throws Exception {
    Rfc2136Provider impostor = providerWith(new TsigKey("dialtone-key", "hmac-sha256", BindServer.randomSecret()));
    String name = freshName();
    assertThatThrownBy(() -> claimWith(impostor, name)).isInstanceOf(ActuationException.class);

    RecordKey a = new RecordKey(name, RecordType.A);
    assertThatThrownBy(() -> impostor.read(List.of(a)))
        .isInstanceOfSatisfying(
            ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("server 127.0.0.1:" + bind.peer().port())
        .hasMessageContaining("rejected TSIG key 'dialtone-key'")
        .hasMessageContaining("BADSIG");
    assertThat(provider().read(List.of(a, OwnerRecord.keyFor(name))).rrsets()).isEmpty();
  }

  @Test
  void anUnsignedAnswerIsRefusedNamingTheServerAndTheKey() throws Exception {
    try (ForgedAnswers forger = new ForgedAnswers(null)) {
      Rfc2136Provider fooled = forgedProvider(forger);
      String name = freshName();
      assertThatThrownBy(() -> fooled.read(List.of(new RecordKey(name, RecordType.A))))
          .isInstanceOfSatisfying(
              ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
          .hasMessageContaining("server " + forger.address().getHostString() + ":" + forger.address().getPort())
          .hasMessageContaining("unsigned, though it was signed with TSIG key 'dialtone-key'")
          .hasMessageContaining("zone example.com.")
          .hasMessageNotContaining(bind.peer().tsigSecret());
      assertThatThrownBy(() -> claimWith(fooled, name))
          .isInstanceOf(ActuationException.class)
          .hasMessageContaining("answered the update for zone example.com. (NOERROR) unsigned");
    }
  }

  @Test
  void anAnswerSignedWithAnotherSecretIsRefused() throws Exception {
    TSIG otherSecret = new TSIG(TSIG.HMAC_SHA256, BindServer.KEY_NAME + ".", BindServer.randomSecret());
    try (ForgedAnswers forger = new ForgedAnswers(otherSecret)) {
      Rfc2136Provider fooled = forgedProvider(forger);
      String name = freshName();
      assertThatThrownBy(() -> fooled.read(List.of(new RecordKey(name, RecordType.A))))
          .isInstanceOf(ActuationException.class)
          .hasMessageContaining("with a TSIG signature that does not verify with key 'dialtone-key' (hmac-sha256)");
      assertThatThrownBy(() -> claimWith(fooled, name))
          .isInstanceOf(ActuationException.class)
          .hasMessageContaining("does not verify with key 'dialtone-key'");
    }
  }

  private static Rfc2136Provider forgedProvider(ForgedAnswers forger) throws Exception {
    return new Rfc2136Provider(forger.address(), "example.com.", TsigKey.read(bind.peer().tsigKeyFile()), Duration.ofSeconds(2));
  }

  private static Rfc2136Provider strangerFor(BindServer server) {
    return new Rfc2136Provider(
        new InetSocketAddress("127.0.0.1", server.port()), "example.com.",
        new TsigKey(BindServer.KEY_NAME, BindServer.ALGORITHM, STRANGERS_SECRET), Duration.ofSeconds(2));
  }

  @Test
  void aReferralIsNotTakenForAnEmptyZone() {
    BindServer server = delegating.peer();
    assertThatThrownBy(() -> strangerFor(server).read(List.of(OwnerRecord.keyFor(freshName()))))
        .isInstanceOfSatisfying(
            ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("server 127.0.0.1:" + server.port() + " is not authoritative for zone example.com.")
        .hasMessageContaining("lacks the AA bit");
  }

  @Test
  void anAnswerFromTheParentZoneIsNotTakenForAnEmptyZone() {
    BindServer server = parent.peer();
    assertThatThrownBy(() -> strangerFor(server).read(List.of(OwnerRecord.keyFor(freshName()))))
        .isInstanceOf(ActuationException.class)
        .hasMessageContaining("server 127.0.0.1:" + server.port())
        .hasMessageContaining("(NXDOMAIN) from zone com., not example.com.: it does not serve zone example.com.");
  }

  @Test
  void aServerThatDoesNotServeTheZoneIsRefusedNamingIt() {
    Rfc2136Provider elsewhere =
        new Rfc2136Provider(
            new InetSocketAddress("127.0.0.1", bind.peer().port()), "example.org.",
            new TsigKey(BindServer.KEY_NAME, BindServer.ALGORITHM, bind.peer().tsigSecret()), Duration.ofSeconds(2));
    assertThatThrownBy(() -> elsewhere.read(List.of(new RecordKey("voice.example.org.", RecordType.A))))
        .isInstanceOf(ActuationException.class)
        .hasMessageContaining("server 127.0.0.1:" + bind.peer().port() + " REFUSED the query")
        .hasMessageContaining("it does not serve zone example.org.");
  }

  @Test
  void anUnknownKeyNameIsRefusedNamingTheKey() {
    Rfc2136Provider stranger =
        providerWith(new TsigKey("someone-else", "hmac-sha256", bind.peer().tsigSecret()));
    assertThatThrownBy(() -> claimWith(stranger, freshName()))
        .isInstanceOf(ActuationException.class)
        .hasMessageContaining("someone-else")
        .hasMessageContaining("BADKEY");
  }

  @Test
  void aKeyTheUpdatePolicyDoesNotGrantIsRefusedNamingTheKey() {
    Rfc2136Provider unprivileged =
        providerWith(new TsigKey(BindServer.UNPRIVILEGED_KEY_NAME, "hmac-sha256", bind.peer().unprivilegedSecret()));
    assertThatThrownBy(() -> claimWith(unprivileged, freshName()))
        .isInstanceOfSatisfying(
            ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("REFUSED the update")
        .hasMessageContaining("does not grant key 'unprivileged-key'");
  }

  @Test
  void aNameOutsideTheZoneIsAPermanentNotzoneError() {
    assertThatThrownBy(() -> claimWith((Rfc2136Provider) provider(), "voice.example.org."))
        .isInstanceOfSatisfying(
            ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("outside zone example.com. (NOTZONE)");
  }

  @Test
  void aLargeChangeGoesOverTcpInOneMessage() throws Exception {
    String name = freshName();
    List<String> addresses = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      addresses.add("192.0.2." + i);
    }
    RecordSet many = RecordSet.of(name, RecordType.A, TTL, addresses);
    claim(name, 1, many);
    assertThat(provider().read(List.of(many.key())).get(many.key())).contains(many);
  }

  @Test
  void aServerThatIsDownIsATransientFailure() {
    Rfc2136Provider nowhere =
        new Rfc2136Provider(
            new InetSocketAddress("127.0.0.1", dev.dialtone.peers.process.FreePorts.tcpAndUdp()),
            zone(),
            new TsigKey("dialtone-key", "hmac-sha256", bind.peer().tsigSecret()),
            Duration.ofMillis(300));
    assertThatThrownBy(() -> nowhere.read(List.of(new dev.dialtone.dns.record.RecordKey(freshName(), RecordType.A))))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.isRetryable()).isTrue());
  }

  private static void claimWith(Rfc2136Provider p, String name) throws Exception {
    p.apply(
        new dev.dialtone.dns.provider.ChangeSet(
            List.of(new dev.dialtone.dns.provider.Precondition(dev.dialtone.dns.ownership.OwnerRecord.keyFor(name), null)),
            List.of(RecordSet.of(name, RecordType.A, TTL, List.of("192.0.2.1")), owner(name, "acme", 1)),
            List.of()));
  }
}
