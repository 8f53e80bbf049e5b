package dev.dialtone.agent.probe.sip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.testing.KamailioOptionsPeer;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hand-written SIP codec against a real Kamailio, over UDP and TCP. */
class SipOptionsProbeKamailioIT {
  @RegisterExtension static final PeerExtension<KamailioOptionsPeer> kamailio = PeerExtension.of(KamailioOptionsPeer::new);
  private static final Duration TIMEOUT = Duration.ofMillis(900);

  private static SipOptionsProbe probe(String user, SipTransport transport) {
    String uri = "sip:" + (user == null ? "" : user + "@") + "127.0.0.1:" + kamailio.peer().port()
        + ";transport=" + transport.name().toLowerCase(java.util.Locale.ROOT);
    return new SipOptionsProbe(SipUri.parse(uri), Ticker.system(), new SplittableRandom());
  }

  @ParameterizedTest
  @EnumSource(SipTransport.class)
  void twoHundredIsUp(SipTransport transport) throws Exception {
    SipOptionsProbe probe = probe(null, transport);
    for (int i = 0; i < 3; i++) {
      ProbeResult r = probe.attempt(TIMEOUT);
      assertThat(r.status()).as(r.errorText()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
      assertThat(r.details()).containsEntry("sip_status", "200");
    }
  }

  @ParameterizedTest
  @EnumSource(SipTransport.class)
  void serviceUnavailableIsDown(SipTransport transport) throws Exception {
    ProbeResult r = probe("busy", transport).attempt(TIMEOUT);
    assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
    assertThat(r.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_SERVER_ERROR);
    assertThat(r.errorText()).isEqualTo("answered 503 Service Unavailable");
  }

  @Test
  void aStoppedServerIsRefusedOverBothTransports() throws Exception {
    kamailio.peer().stop();
    try {
      for (SipTransport t : SipTransport.values()) {
        ProbeResult r = probe(null, t).attempt(TIMEOUT);
        assertThat(r.status()).as(t.name()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
        assertThat(r.cause()).as(t.name()).isEqualTo(FailureCause.FAILURE_CAUSE_REFUSED);
      }
    } finally {
      kamailio.peer().start();
    }
  }
}
