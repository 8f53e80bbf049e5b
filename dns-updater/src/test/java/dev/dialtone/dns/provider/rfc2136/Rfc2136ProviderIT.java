package dev.dialtone.dns.provider.rfc2136;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.DnsProviderContract;
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

/** The provider contract against a real BIND 9, plus what only RFC 2136 has (TSIG, TCP). */
class Rfc2136ProviderIT extends DnsProviderContract {
  @RegisterExtension static final PeerExtension<BindServer> bind = PeerExtension.of(BindServer::new);

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
