package dev.dialtone.carrier.kamailio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kamailio's JSON-RPC over HTTP ({@code jsonrpcs} served by {@code xhttp}), authenticated with a
 * bearer token (the shipped {@code dialtone-routing.cfg} answers 401 without it), errors
 * classified. The token is sent, never logged or put in a message.
 */
public final class KamailioRpc implements AutoCloseable {
  private final URI url;
  private final Secret token;
  private final Duration timeout;
  private final String actuator;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final AtomicLong ids = new AtomicLong();

  /**
   * @param token the bearer token Kamailio's {@code DIALTONE_RPC_TOKEN} expects
   * @param actuator the actuator name errors carry
   */
  public KamailioRpc(URI url, Secret token, Duration timeout, String actuator) {
    this.url = url;
    this.token = token;
    this.timeout = timeout;
    this.actuator = actuator;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
  }

  /**
   * Calls {@code method} with positional {@code params} (strings and numbers) and returns its
   * {@code result}.
   *
   * @throws ActuationException TRANSIENT if Kamailio cannot be reached or answers 5xx; PERMANENT
   *     if it answers with a JSON-RPC error (unknown method, bad parameters, a list it refuses)
   */
  public JsonNode call(String method, Object... params) throws ActuationException {
    ObjectNode request = json.createObjectNode().put("jsonrpc", "2.0").put("method", method);
    if (params.length > 0) {
      ArrayNode array = request.putArray("params");
      for (Object p : params) {
        array.add(json.valueToTree(p));
      }
    }
    request.put("id", ids.incrementAndGet());
    HttpResponse<String> response;
    try {
      response = http.send(
          HttpRequest.newBuilder(url).timeout(timeout).header("Content-Type", "application/json")
              .header("Authorization", "Bearer " + token.reveal())
              .POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ActuationException(Failure.TRANSIENT, actuator,
          "Kamailio JSON-RPC at " + url + " unreachable for " + method + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActuationException(Failure.TRANSIENT, actuator, "interrupted calling " + method + " at " + url, e);
    }
    int status = response.statusCode();
    if (status >= 500) {
      throw new ActuationException(Failure.TRANSIENT, actuator,
          "Kamailio JSON-RPC at " + url + " answered HTTP " + status + " to " + method);
    }
    if (status == 401) {
      throw new ActuationException(Failure.PERMANENT, actuator, "Kamailio JSON-RPC at " + url + " refused the token ("
          + token.source() + ") for " + method + " with HTTP 401: it must equal Kamailio's DIALTONE_RPC_TOKEN");
    }
    if (status >= 400) {
      throw new ActuationException(Failure.PERMANENT, actuator, "Kamailio JSON-RPC at " + url + " answered HTTP " + status
          + " to " + method + (status == 403 ? " (this address is outside DIALTONE_RPC_ALLOW_NET)"
              : status == 404 ? " (is this DIALTONE_RPC_PORT, path /RPC?)" : "") + ": " + abbreviate(response.body().strip()));
    }
    JsonNode body;
    try {
      body = json.readTree(response.body());
    } catch (IOException e) {
      throw new ActuationException(Failure.PERMANENT, actuator,
          "Kamailio JSON-RPC at " + url + " answered " + method + " with HTTP " + response.statusCode()
              + " and no JSON: " + abbreviate(response.body()), e);
    }
    if (body.hasNonNull("error")) {
      throw new ActuationException(Failure.PERMANENT, actuator,
          "Kamailio JSON-RPC at " + url + " refused " + method + ": " + body.get("error"));
    }
    return body.path("result");
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  public URI url() {
    return url;
  }

  @Override
  public void close() {
    http.close();
  }
}
