package dev.dialtone.agent.probe.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.sipp.SippUas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The SIP probe against SIPp answering 200, answering 503 and not answering, over UDP and TCP. */
class SipOptionsProbeSippIT {
  @RegisterExtension static final PeerExtension<SippUas> udp = PeerExtension.of(SippUas::new);
  @RegisterExtension static final PeerExtension<SippUas> tcp = PeerExtension.of(dir -> new SippUas(dir, SippUas.Transport.TCP));
  private static final Duration TIMEOUT = Duration.ofMillis(1800);

  private static SippUas uas(SipTransport transport) {
    return transport == SipTransport.UDP ? udp.peer() : tcp.peer();
  }

  private static SipOptionsProbe probe(SipTransport transport) {
    return new SipOptionsProbe(SipUri.parse(uas(transport).sipUri()), Ticker.system(), new SplittableRandom());
  }

  @AfterEach
  void answerAgain() {
    udp.peer().setMode(SippUas.Mode.OK);
    tcp.peer().setMode(SippUas.Mode.OK);
  }

  @ParameterizedTest
  @EnumSource(SipTransport.class)
  void twoHundredIsUp(SipTransport transport) throws Exception {
    SipOptionsProbe probe = probe(transport);
    for (int i = 0; i < 3; i++) {
      ProbeResult r = probe.attempt(TIMEOUT);
      assertThat(r.status()).as(r.errorText()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
      assertThat(r.details()).containsEntry("sip_status", "200");
    }
  }

  @ParameterizedTest
  @EnumSource(SipTransport.class)
  void serviceUnavailableIsDown(SipTransport transport) throws Exception {
    uas(transport).setMode(SippUas.Mode.SERVICE_UNAVAILABLE);
    ProbeResult r = probe(transport).attempt(TIMEOUT);
    assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
    assertThat(r.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_SERVER_ERROR);
    assertThat(r.details()).containsEntry("sip_status", "503");
  }

  @ParameterizedTest
  @EnumSource(SipTransport.class)
  void silenceIsDownAtTheTimeout(SipTransport transport) throws Exception {
    uas(transport).setMode(SippUas.Mode.SILENT);
    long start = System.nanoTime();
    ProbeResult r = probe(transport).attempt(TIMEOUT);
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
    assertThat(r.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_TIMEOUT);
    assertThat(took).isBetween(TIMEOUT.minusMillis(50), TIMEOUT.plusMillis(300));
  }

  @Test
  void overUdpSilenceIsRetransmittedPerTimerE() throws Exception {
    udp.peer().setMode(SippUas.Mode.SILENT);
    probe(SipTransport.UDP).attempt(TIMEOUT);
    // T1 = 500 ms doubling: sent at 0, 500 and 1500 ms within an 1800 ms timeout, one transaction.
    await().atMost(Duration.ofSeconds(3)).until(() -> receivedOptions().size() == 3);
    assertThat(receivedOptions().stream().map(f -> f[4]).collect(Collectors.toSet())).hasSize(1);
  }

  /** The OPTIONS requests SIPp's latest message trace shows as received (tab-separated fields). */
  private static List<String[]> receivedOptions() throws Exception {
    Path trace = udp.peer().logFiles().stream()
        .filter(p -> p.getFileName().toString().matches("uas-run\\d+-messages\\.log"))
        .reduce((a, b) -> b).orElseThrow();
    if (!Files.exists(trace)) {
      return List.of();
    }
    return Files.readAllLines(trace, StandardCharsets.ISO_8859_1).stream()
        .map(l -> l.split("\t"))
        .filter(f -> f.length >= 7 && "R".equals(f[3]) && f[6].startsWith("OPTIONS "))
        .toList();
  }
}
