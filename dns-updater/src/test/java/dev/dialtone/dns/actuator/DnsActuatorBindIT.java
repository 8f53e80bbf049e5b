package dev.dialtone.dns.actuator;

import static dev.dialtone.dns.Fixtures.EAST;
import static dev.dialtone.dns.Fixtures.WEST;
import static dev.dialtone.dns.Fixtures.routed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.rfc2136.Rfc2136Provider;
import dev.dialtone.dns.provider.rfc2136.TsigKey;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.bind.BindServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The shift scenarios on a real BIND 9, read back through real resolver queries. */
class DnsActuatorBindIT extends DnsActuatorContract {
  @RegisterExtension static final PeerExtension<BindServer> bind = PeerExtension.of(BindServer::new);

  @Override
  protected DnsProvider provider() {
    try {
      return provider(TsigKey.read(bind.peer().tsigKeyFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Rfc2136Provider provider(TsigKey key) {
    return new Rfc2136Provider(
        new InetSocketAddress("127.0.0.1", bind.peer().port()), bind.peer().zone(), key, Duration.ofSeconds(2));
  }

  @Override
  protected ProviderSettings settings() {
    return new ProviderSettings.Rfc2136("127.0.0.1:" + bind.peer().port(), bind.peer().tsigKeyFile(), null);
  }

  @Override
  protected String zone() {
    return bind.peer().zone();
  }

  private static List<String> answer(String name, int type) throws IOException {
    Message response = bind.peer().resolver().send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    return response.getSection(Section.ANSWER).stream()
        .filter(r -> r.getType() == type)
        .map(r -> r.getTTL() + " " + r.rdataToString())
        .sorted()
        .toList();
  }

  @Test
  void aResolverQuerySeesTheShiftedAddressAndSrvOrder() throws Exception {
    String domain = freshDomain();
    DnsActuator dns = actuator(domain);

    dns.apply(1, "p1", routed(EAST, WEST));
    assertThat(answer("voice." + domain, Type.A)).containsExactly("30 203.0.113.10");
    assertThat(answer("_sip._udp.voice." + domain, Type.SRV))
        .containsExactly("30 10 0 5060 edge.us-east.example.net.", "30 20 0 5070 edge.us-west.example.net.");

    dns.apply(2, "p2", routed(WEST, EAST));
    assertThat(answer("voice." + domain, Type.A)).containsExactly("30 198.51.100.20");
    assertThat(answer("voice." + domain, Type.AAAA)).isEmpty();
    assertThat(answer("_sip._udp.voice." + domain, Type.SRV))
        .containsExactly("30 10 0 5070 edge.us-west.example.net.", "30 20 0 5060 edge.us-east.example.net.");
    assertThat(answer("_dialtone-owner.voice." + domain, Type.TXT))
        .containsExactly("30 \"dialtone deployment=acme epoch=2\"");
  }

  @Test
  void aWrongTsigKeyIsRefusedAtOnceWithAClearMessage() {
    byte[] wrong = new byte[32];
    wrong[0] = 9;
    DnsActuator dns =
        actuator("acme", freshDomain(), provider(new TsigKey("dialtone-key", "hmac-sha256", Base64.getEncoder().encodeToString(wrong))));
    assertThatThrownBy(() -> dns.apply(1, "p", routed(EAST)))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT))
        .hasMessageContaining("rejected TSIG key 'dialtone-key' (hmac-sha256): BADSIG");
  }

  @org.junit.jupiter.api.Test
  void shiftsTwiceWithinOneEpochUnderTheSameOwnerValue() throws Exception {
    shiftsTwiceWithinOneEpoch();
  }
}
