package dev.dialtone.notify.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.notify.DeliveryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One JSON POST with the JDK's HTTP client, its outcome classified: 2xx taken; 408, 429 and 5xx
 * (and any I/O failure) worth retrying; any other status refused for good. Messages name the
 * status and a short excerpt of the answer, never the URL (webhook URLs are secrets).
 */
public final class JsonPost {
  private static final int EXCERPT = 200;

  private final HttpClient client;
  private final ObjectMapper json;
  private final Duration timeout;

  public JsonPost(HttpClient client, ObjectMapper json, Duration timeout) {
    this.client = client;
    this.json = json;
    this.timeout = timeout;
  }

  /** A client with a connect timeout of {@code timeout}, following no redirects. */
  public static JsonPost withTimeout(Duration timeout) {
    return new JsonPost(HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build(),
        new ObjectMapper(), timeout);
  }

  /** POSTs {@code body} as JSON to {@code uri} with {@code headers}; returns the answer's body. */
  public String post(URI uri, Object body, Map<String, String> headers) throws DeliveryException, InterruptedException {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw DeliveryException.permanent("cannot encode the payload: " + e.getOriginalMessage(), e);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
        .header("Content-Type", "application/json")
        .header("User-Agent", "Dialtone")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
    headers.forEach(request::header);
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw DeliveryException.retryable("not reached (" + e.getClass().getSimpleName() + ")", e);
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return response.body();
    }
    String excerpt = response.body() == null ? "" : response.body().strip();
    excerpt = excerpt.length() > EXCERPT ? excerpt.substring(0, EXCERPT) + "..." : excerpt;
    String message = "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
    if (status == 408 || status == 429 || status >= 500) {
      throw DeliveryException.retryable(message, null);
    }
    throw DeliveryException.permanent(message, null);
  }

  /** The mapper payloads are encoded with. */
  public ObjectMapper json() {
    return json;
  }
}
