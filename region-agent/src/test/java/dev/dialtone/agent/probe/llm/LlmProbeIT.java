package dev.dialtone.agent.probe.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.llm.OpenAiStandIn;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Against the labelled OpenAI stand-in from the test kit (the real API cannot run here). */
class LlmProbeIT {
  @RegisterExtension static final PeerExtension<OpenAiStandIn> llm = PeerExtension.of(OpenAiStandIn::new);
  private static final Duration TIMEOUT = Duration.ofMillis(800);

  private static LlmProbe probe(LlmProbe.Mode mode, String key) {
    return new LlmProbe(URI.create(llm.peer().baseUrl()), mode, "stand-in-mini", key, TIMEOUT, Ticker.system());
  }

  @AfterEach
  void reset() throws Exception {
    llm.peer().setMode(OpenAiStandIn.Mode.OK);
    llm.peer().setDelay(Duration.ZERO);
    llm.peer().start();
  }

  @Test
  void upWithModelsListAndOneTokenCompletionMeasuringTimeToFirstByte() throws Exception {
    for (LlmProbe.Mode mode : LlmProbe.Mode.values()) {
      try (LlmProbe p = probe(mode, llm.peer().apiKey())) {
        ProbeResult r = p.attempt(TIMEOUT);
        assertThat(r.status()).as(mode.name()).isEqualTo(HealthStatus.HEALTH_STATUS_UP);
        assertThat(r.latency()).isPositive().isLessThan(TIMEOUT);
        assertThat(r.details()).containsEntry("http_status", "200");
      }
    }
  }

  @Test
  void aKeyNoHeaderCanCarryIsDownWithoutBeingQuoted() throws Exception {
    // The HTTP client's refusal ("invalid header value: \"Bearer sk-…\"") would put the key in reports and logs.
    for (String key : List.of("sk-\u20260123456789", "sk-0123\r\nX-Leak: 456789")) {
      try (LlmProbe p = probe(LlmProbe.Mode.MODELS, key)) {
        ProbeResult r = p.attempt(TIMEOUT);
        assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
        assertThat(r.errorText()).isEqualTo("the API key holds a character an HTTP header cannot carry");
        assertThat(r.toString()).doesNotContain("0123").doesNotContain("456789");
      }
    }
  }

  @Test
  void rateLimitedIsDegradedAndServerErrorIsDown() throws Exception {
    try (LlmProbe p = probe(LlmProbe.Mode.COMPLETION, llm.peer().apiKey())) {
      llm.peer().setMode(OpenAiStandIn.Mode.RATE_LIMITED);
      ProbeResult limited = p.attempt(TIMEOUT);
      assertThat(limited.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DEGRADED);
      assertThat(limited.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_RATE_LIMITED);
      assertThat(limited.details()).containsEntry("retry_after", "1");

      llm.peer().setMode(OpenAiStandIn.Mode.SERVER_ERROR);
      ProbeResult error = p.attempt(TIMEOUT);
      assertThat(error.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(error.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_SERVER_ERROR);
      assertThat(error.errorText()).isEqualTo("server error (HTTP 503)");
    }
  }

  @Test
  void aRejectedKeyIsDownAndNeverAppearsInTheResult() throws Exception {
    try (LlmProbe p = probe(LlmProbe.Mode.MODELS, "sk-wrong-secret")) {
      ProbeResult r = p.attempt(TIMEOUT);
      assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(r.errorText()).isEqualTo("API key rejected (HTTP 401)");
      assertThat(r.toString()).doesNotContain("sk-wrong-secret");
    }
  }

  @Test
  void aServerThatDoesNotSpeakTlsIsATlsFailure() throws Exception {
    // A plain-text server that answers at once, like an HTTPS URL pointed at an HTTP port. The JDK's
    // HTTP client now and then (5 of 200 tries here) stalls on such an answer to its ClientHello
    // until its connect timeout, a race of its own: the probe then says TIMEOUT, still DOWN. So a
    // few attempts, each DOWN, and the failure classified as TLS whenever the client saw it.
    List<ProbeResult> results = new ArrayList<>();
    for (int attempt = 0; attempt < 4 && results.stream().noneMatch(r -> r.cause() == FailureCause.FAILURE_CAUSE_TLS); attempt++) {
      results.add(againstPlainText());
    }
    assertThat(results).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(r.cause()).as(r.errorText()).isIn(FailureCause.FAILURE_CAUSE_TLS, FailureCause.FAILURE_CAUSE_TIMEOUT);
    });
    assertThat(results).extracting(ProbeResult::cause).contains(FailureCause.FAILURE_CAUSE_TLS);
  }

  private static ProbeResult againstPlainText() throws Exception {
    try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread.ofPlatform().daemon().start(() -> {
        try (java.net.Socket s = plain.accept()) {
          s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          s.getInputStream().read();
        } catch (java.io.IOException ignored) {
          // The client hangs up once its handshake fails.
        }
      });
      URI https = URI.create("https://127.0.0.1:" + plain.getLocalPort());
      // Generous: a cold JVM's first TLS handshake can take longer than the probe timeout on a busy
      // machine, and this test is about how the failure is classified, not how fast.
      Duration generous = Duration.ofSeconds(5);
      try (LlmProbe p = new LlmProbe(https, LlmProbe.Mode.MODELS, "m", "k", generous, Ticker.system())) {
        return p.attempt(generous);
      }
    }
  }

  @Test
  void silenceIsATimeoutAndAStoppedServerIsRefused() throws Exception {
    try (LlmProbe p = probe(LlmProbe.Mode.MODELS, llm.peer().apiKey())) {
      llm.peer().setDelay(Duration.ofSeconds(2));
      ProbeResult slow = p.attempt(Duration.ofMillis(300));
      assertThat(slow.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(slow.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_TIMEOUT);

      llm.peer().stop();
      ProbeResult refused = p.attempt(TIMEOUT);
      assertThat(refused.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(refused.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_REFUSED);
    }
  }
}
