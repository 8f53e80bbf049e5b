package dev.dialtone.agent.probe.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SipMessageTest {

  @Test
  void parsesUrisWithDefaultsTransportAndIpv6() {
    assertThat(SipUri.parse("sip:edge.example.com")).isEqualTo(new SipUri("sip:edge.example.com", null, "edge.example.com", 5060, SipTransport.UDP));
    SipUri tcp = SipUri.parse("sip:probe@10.0.0.1:5080;transport=TCP;lr");
    assertThat(tcp.host()).isEqualTo("10.0.0.1");
    assertThat(tcp.port()).isEqualTo(5080);
    assertThat(tcp.transport()).isEqualTo(SipTransport.TCP);
    assertThat(tcp.requestUri()).isEqualTo("sip:probe@10.0.0.1:5080");
    SipUri v6 = SipUri.parse("sip:[::1]:5062");
    assertThat(v6.host()).isEqualTo("::1");
    assertThat(v6.requestUri()).isEqualTo("sip:[::1]:5062");
  }

  @Test
  void rejectsBadUris() {
    assertThatThrownBy(() -> SipUri.parse("http://x")).hasMessageContaining("not a sip: URI");
    assertThatThrownBy(() -> SipUri.parse("sip:host:99999")).hasMessageContaining("port out of range");
    assertThatThrownBy(() -> SipUri.parse("sip:host;transport=sctp")).hasMessageContaining("unsupported transport 'sctp'");
    assertThatThrownBy(() -> SipUri.parse("sip::5060")).hasMessageContaining("no host");
  }

  @Test
  void buildsAnRfc3261OptionsRequest() {
    SipOptionsProbe probe = new SipOptionsProbe(SipUri.parse("sip:127.0.0.1:5070"), () -> 0L, new SplittableRandom(7));
    SipOptionsRequest first = probe.newRequest("127.0.0.1", 40000);
    SipOptionsRequest second = probe.newRequest("127.0.0.1", 40000);
    String text = new String(first.encode(), StandardCharsets.UTF_8);

    assertThat(text).startsWith("OPTIONS sip:127.0.0.1:5070 SIP/2.0\r\n");
    assertThat(text).containsPattern("\r\nVia: SIP/2\\.0/UDP 127\\.0\\.0\\.1:40000;branch=z9hG4bK[0-9a-f]{16};rport\r\n");
    assertThat(text).contains("\r\nMax-Forwards: 70\r\n", "\r\nCSeq: 1 OPTIONS\r\n", "\r\nContent-Length: 0\r\n\r\n");
    assertThat(text).containsPattern("\r\nFrom: <sip:dialtone-probe@127\\.0\\.0\\.1:40000>;tag=[0-9a-f]{8}\r\n");
    assertThat(text).containsPattern("\r\nCall-ID: [0-9a-f]{16}@dialtone\r\n");
    assertThat(second.cseq()).isEqualTo(2);
    assertThat(second.branch()).isNotEqualTo(first.branch());
    assertThat(second.callId()).isNotEqualTo(first.callId());
  }

  @Test
  void matchesOnlyTheResponseToItsOwnTransaction() {
    SipOptionsProbe probe = new SipOptionsProbe(SipUri.parse("sip:127.0.0.1:5070"), () -> 0L, new SplittableRandom(7));
    SipOptionsRequest request = probe.newRequest("127.0.0.1", 40000);
    SipResponse mine = parse(response(200, "OK", request.branch(), request.callId(), "1 OPTIONS"));
    assertThat(request.isAnsweredBy(mine)).isTrue();
    assertThat(request.isAnsweredBy(parse(response(200, "OK", "z9hG4bKother", request.callId(), "1 OPTIONS")))).isFalse();
    assertThat(request.isAnsweredBy(parse(response(200, "OK", request.branch(), "other@x", "1 OPTIONS")))).isFalse();
    assertThat(request.isAnsweredBy(parse(response(200, "OK", request.branch(), request.callId(), "2 OPTIONS")))).isFalse();
  }

  @Test
  void parsesCompactHeadersFoldingAndContentLength() {
    String text = "SIP/2.0 503 Service Unavailable\r\n"
        + "v: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKabc;received=127.0.0.1, SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKdef\r\n"
        + "i: call-1@x\r\nCSeq:   7\r\n  OPTIONS\r\nl: 4\r\n\r\nbody";
    SipResponse r = parse(text);
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.reason()).isEqualTo("Service Unavailable");
    assertThat(r.topViaBranch()).isEqualTo("z9hG4bKabc");
    assertThat(r.callId()).isEqualTo("call-1@x");
    assertThat(r.cseq()).isEqualTo("7 OPTIONS");
    assertThat(r.contentLength()).isEqualTo(4);
  }

  @Test
  void rejectsWhatIsNotAResponse() {
    assertThatThrownBy(() -> parse("OPTIONS sip:x SIP/2.0\r\n\r\n")).hasMessageContaining("not a SIP response");
    assertThatThrownBy(() -> parse("SIP/2.0 abc OK\r\n\r\n")).hasMessageContaining("bad status line");
    assertThatThrownBy(() -> parse("SIP/2.0 999 Nope\r\n\r\n")).hasMessageContaining("bad status code");
  }

  @Test
  void classifiesFinalAnswers() {
    assertThat(SipOptionsProbe.classify(parse(response(200, "OK", "b", "c", "1 OPTIONS"))).status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
    ProbeResult unavailable = SipOptionsProbe.classify(parse(response(503, "Service Unavailable", "b", "c", "1 OPTIONS")));
    assertThat(unavailable.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
    assertThat(unavailable.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_SERVER_ERROR);
    assertThat(unavailable.details()).containsEntry("sip_status", "503");
    assertThat(SipOptionsProbe.classify(parse(response(408, "Request Timeout", "b", "c", "1 OPTIONS"))).status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
    assertThat(SipOptionsProbe.classify(parse(response(404, "Not Found", "b", "c", "1 OPTIONS"))).status()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
  }

  private static String response(int code, String reason, String branch, String callId, String cseq) {
    return "SIP/2.0 " + code + " " + reason + "\r\nVia: SIP/2.0/UDP 127.0.0.1:40000;branch=" + branch + ";rport=40000\r\n"
        + "Call-ID: " + callId + "\r\nCSeq: " + cseq + "\r\nContent-Length: 0\r\n\r\n";
  }

  private static SipResponse parse(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return SipResponse.parse(b, b.length);
  }
}
