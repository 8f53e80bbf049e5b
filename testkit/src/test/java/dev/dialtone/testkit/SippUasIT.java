package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.peers.sipp.SipOptionsPing;
import dev.dialtone.peers.sipp.SippUac;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.peers.sipp.SippUas.Mode;
import dev.dialtone.peers.sipp.SippUas.Transport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SippUasIT {
  @RegisterExtension static final PeerExtension<SippUas> udp = PeerExtension.of(SippUas::new);

  @RegisterExtension
  static final PeerExtension<SippUas> tcp = PeerExtension.of(dir -> new SippUas(dir, Transport.TCP));

  @TempDir Path uacDir;

  @Test
  @Order(1)
  void answersOptionsOverUdpAndTcp() throws Exception {
    long before = udp.peer().optionsAnswered();

    assertThat(SipOptionsPing.status(udp.peer().port(), Transport.UDP, Duration.ofSeconds(2))).isEqualTo(200);
    assertThat(SipOptionsPing.status(tcp.peer().port(), Transport.TCP, Duration.ofSeconds(2))).isEqualTo(200);
    assertThat(udp.peer().optionsAnswered()).isEqualTo(before + 1);
    assertThat(udp.peer().sipUri()).isEqualTo("sip:uas@127.0.0.1:" + udp.peer().port() + ";transport=udp");
    assertThat(tcp.peer().sipUri()).endsWith(";transport=tcp");
  }

  @Test
  @Order(2)
  void answersInvitesAndCountsThem() {
    long before = udp.peer().answeredCalls();

    SippUac.Result result = new SippUac(uacDir).call(udp.peer().port(), 5, 50, Duration.ofSeconds(30));

    assertThat(result.placed()).isEqualTo(5);
    assertThat(result.failed()).isZero();
    assertThat(udp.peer().answeredCalls()).isEqualTo(before + 5);
  }

  @Test
  @Order(3)
  void serviceUnavailableThenSilentThenBackToOk() throws Exception {
    SippUas uas = udp.peer();
    try {
      uas.setMode(Mode.SERVICE_UNAVAILABLE);
      assertThat(SipOptionsPing.status(uas.port(), Transport.UDP, Duration.ofSeconds(2))).isEqualTo(503);
      long answered = uas.answeredCalls();
      SippUac.Result rejected = new SippUac(uacDir).call(uas.port(), 2, 50, Duration.ofSeconds(30));
      assertThat(rejected.placed()).isEqualTo(2);
      assertThat(rejected.answered()).isZero();
      assertThat(uas.invitesReceived()).isGreaterThanOrEqualTo(7);
      assertThat(uas.answeredCalls()).isEqualTo(answered);

      uas.setMode(Mode.SILENT);
      assertThat(SipOptionsPing.status(uas.port(), Transport.UDP, Duration.ofSeconds(1)))
          .isEqualTo(SipOptionsPing.NO_REPLY);

      tcp.peer().setMode(Mode.SERVICE_UNAVAILABLE);
      assertThat(SipOptionsPing.status(tcp.peer().port(), Transport.TCP, Duration.ofSeconds(2))).isEqualTo(503);
    } finally {
      uas.setMode(Mode.OK);
      tcp.peer().setMode(Mode.OK);
    }
    assertThat(SipOptionsPing.status(uas.port(), Transport.UDP, Duration.ofSeconds(2))).isEqualTo(200);
    assertThat(SipOptionsPing.status(tcp.peer().port(), Transport.TCP, Duration.ofSeconds(2))).isEqualTo(200);
  }
}
