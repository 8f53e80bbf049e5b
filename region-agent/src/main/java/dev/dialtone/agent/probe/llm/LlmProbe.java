package dev.dialtone.agent.probe.llm;

import dev.dialtone.agent.probe.Probe;
import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.FailureCause;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Checks an OpenAI-compatible API: {@code GET /v1/models} or a one-token chat completion, and
 * measures time to first byte of the body. 429 is DEGRADED (rate limited: usable, not
 * preferred); refused, TLS, timeout, 5xx and rejected keys are DOWN, each with its own cause.
 * The API key only ever goes into the Authorization header, never into results or logs.
 */
public final class LlmProbe implements Probe {

  /** What request the probe sends. */
  public enum Mode {
    /** {@code GET /v1/models}: cheap, proves authentication and routing. */
    MODELS,
    /** {@code POST /v1/chat/completions} with {@code max_tokens: 1}: proves the model answers. */
    COMPLETION
  }

  private final URI baseUrl;
  private final Mode mode;
  private final String model;
  private final String apiKey;
  private final Ticker ticker;
  private final HttpClient client;

  public LlmProbe(URI baseUrl, Mode mode, String model, String apiKey, Duration connectTimeout, Ticker ticker) {
    this.baseUrl = baseUrl;
    this.mode = mode;
    this.model = model;
    this.apiKey = apiKey;
    this.ticker = ticker;
    this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Whether {@code apiKey} can go into an Authorization header: visible ASCII only. */
  public static boolean headerSafe(String apiKey) {
    return apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  @Override
  public ProbeResult attempt(Duration timeout) throws InterruptedException {
    if (!headerSafe(apiKey)) {
      // The HTTP client's own refusal would quote the header, key and all.
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "the API key holds a character an HTTP header cannot carry");
    }
    HttpRequest request = request(timeout);
    long start = ticker.nanos();
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      Duration ttfb;
      try (InputStream body = response.body()) {
        body.read();
        ttfb = Duration.ofNanos(ticker.nanos() - start);
        body.readNBytes(1 << 20);
      }
      return classify(response.statusCode(), response.headers().firstValue("retry-after").orElse(""))
          .withLatency(ttfb);
    } catch (HttpConnectTimeoutException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "connect timed out after " + timeout);
    } catch (HttpTimeoutException e) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "no answer within " + timeout);
    } catch (IOException e) {
      return classify(e);
    }
  }

  private HttpRequest request(Duration timeout) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder().timeout(timeout).header("Authorization", "Bearer " + apiKey);
    if (mode == Mode.MODELS) {
      return builder.uri(baseUrl.resolve("/v1/models")).GET().build();
    }
    String body = "{\"model\":\"" + model.replace("\"", "") + "\",\"max_tokens\":1,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
    return builder
        .uri(baseUrl.resolve("/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  /** Maps an HTTP status to a result. */
  static ProbeResult classify(int status, String retryAfter) {
    Map<String, String> details = Map.of("http_status", Integer.toString(status));
    if (status >= 200 && status < 300) {
      return ProbeResult.up().withDetails(details);
    }
    if (status == 429) {
      ProbeResult r = ProbeResult.degraded(FailureCause.FAILURE_CAUSE_RATE_LIMITED, "rate limited (HTTP 429)").withDetails(details);
      return retryAfter.isEmpty() ? r : r.withDetails(Map.of("retry_after", retryAfter));
    }
    if (status >= 500) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_SERVER_ERROR, "server error (HTTP " + status + ")").withDetails(details);
    }
    if (status == 401 || status == 403) {
      return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "API key rejected (HTTP " + status + ")").withDetails(details);
    }
    return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, "unexpected HTTP " + status).withDetails(details);
  }

  /** Maps a transport failure to a result by walking its causes. */
  static ProbeResult classify(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SSLException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_TLS, "TLS failure: " + t.getMessage());
      }
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_DNS, "cannot resolve host");
      }
      if (t instanceof ConnectException) {
        return ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "connection refused");
      }
    }
    return ProbeResult.down(FailureCause.FAILURE_CAUSE_OTHER, e.toString());
  }

  @Override
  public void close() {
    client.shutdownNow();
  }
}
