package dev.dialtone.carrier.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ActuationException.Failure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The few Twilio REST calls Dialtone makes: Elastic SIP Trunking origination URLs (list, create,
 * update) and an incoming phone number's voice settings. Form-encoded requests, JSON answers,
 * HTTP Basic auth; errors classified (429 and 5xx transient, other 4xx permanent).
 */
public final class TwilioApi implements AutoCloseable {
  /** An origination URL as Twilio returns it. */
  public record OriginationUrl(String sid, String friendlyName, String sipUrl, int priority, int weight, boolean enabled) {}

  private final TwilioConfig config;
  private final String authorization;
  private final String actuator;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public TwilioApi(TwilioConfig config, String actuator) {
    this.config = config;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString(
        (config.apiKeySid() + ":" + config.apiKeySecret().reveal()).getBytes(StandardCharsets.UTF_8));
    this.actuator = actuator;
    this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
  }

  private URI originationUrls() {
    return config.trunkingApiUri().resolve("/v1/Trunks/" + config.trunkSid() + "/OriginationUrls");
  }

  /** Every origination URL of the trunk, following pagination. */
  public List<OriginationUrl> listOriginationUrls() throws ActuationException {
    List<OriginationUrl> all = new ArrayList<>();
    URI next = URI.create(originationUrls() + "?PageSize=50");
    for (int page = 0; next != null && page < 100; page++) {
      JsonNode body = send(HttpRequest.newBuilder(next).GET(), next);
      body.path("origination_urls").forEach(n -> all.add(parse(n)));
      String nextUrl = body.path("meta").path("next_page_url").asText(null);
      next = nextUrl == null || nextUrl.isEmpty() ? null : config.trunkingApiUri().resolve(URI.create(nextUrl).getRawPath()
          + (URI.create(nextUrl).getRawQuery() == null ? "" : "?" + URI.create(nextUrl).getRawQuery()));
    }
    return all;
  }

  public OriginationUrl createOriginationUrl(String friendlyName, String sipUrl, int priority, int weight, boolean enabled)
      throws ActuationException {
    return parse(post(originationUrls(), originationForm(friendlyName, sipUrl, priority, weight, enabled)));
  }

  public OriginationUrl updateOriginationUrl(String sid, String friendlyName, String sipUrl, int priority, int weight, boolean enabled)
      throws ActuationException {
    return parse(post(URI.create(originationUrls() + "/" + sid), originationForm(friendlyName, sipUrl, priority, weight, enabled)));
  }

  /** Updates an IncomingPhoneNumber, e.g. {@code TrunkSid}, {@code VoiceUrl}, {@code VoiceFallbackUrl}. */
  public JsonNode updateNumber(String sid, Map<String, String> form) throws ActuationException {
    return post(config.restApiUri().resolve("/2010-04-01/Accounts/" + config.accountSid() + "/IncomingPhoneNumbers/" + sid + ".json"), form);
  }

  private static Map<String, String> originationForm(String friendlyName, String sipUrl, int priority, int weight, boolean enabled) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("FriendlyName", friendlyName);
    form.put("SipUrl", sipUrl);
    form.put("Priority", Integer.toString(priority));
    form.put("Weight", Integer.toString(weight));
    form.put("Enabled", Boolean.toString(enabled));
    return form;
  }

  private JsonNode post(URI url, Map<String, String> form) throws ActuationException {
    String body = form.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return send(HttpRequest.newBuilder(url).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body)), url);
  }

  private JsonNode send(HttpRequest.Builder request, URI url) throws ActuationException {
    HttpResponse<String> response;
    try {
      response = http.send(request.timeout(config.requestTimeout()).header("Authorization", authorization)
          .header("Accept", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new ActuationException(Failure.TRANSIENT, actuator, "Twilio API at " + url + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ActuationException(Failure.TRANSIENT, actuator, "interrupted calling Twilio API at " + url, e);
    }
    JsonNode body;
    try {
      body = json.readTree(response.body().isEmpty() ? "{}" : response.body());
    } catch (IOException e) {
      throw new ActuationException(Failure.TRANSIENT, actuator, "Twilio API at " + url + " answered HTTP " + response.statusCode() + " without JSON", e);
    }
    int status = response.statusCode();
    if (status >= 400) {
      Failure failure = status == 429 || status >= 500 ? Failure.TRANSIENT : Failure.PERMANENT;
      throw new ActuationException(failure, actuator, "Twilio API at " + url + " answered HTTP " + status
          + " (code " + body.path("code").asText("?") + ": " + body.path("message").asText("no message") + ")");
    }
    return body;
  }

  private static OriginationUrl parse(JsonNode n) {
    return new OriginationUrl(n.path("sid").asText(), n.path("friendly_name").asText(""), n.path("sip_url").asText(),
        n.path("priority").asInt(), n.path("weight").asInt(), n.path("enabled").asBoolean());
  }

  @Override
  public void close() {
    http.close();
  }
}
