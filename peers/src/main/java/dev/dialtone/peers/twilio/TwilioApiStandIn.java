package dev.dialtone.peers.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CONTRACT STAND-IN for Twilio's REST API, not Twilio: a local HTTP server on 127.0.0.1 that
 * checks requests the way Twilio documents them (HTTP Basic auth, form-encoded POST bodies, the
 * required parameters of an origination URL) and answers with the documented JSON shapes
 * (Elastic SIP Trunking {@code /v1/Trunks/{TrunkSid}/OriginationUrls} with {@code meta} paging,
 * {@code /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json}, error objects with
 * {@code code}, {@code message}, {@code more_info}, {@code status}). The real API cannot be
 * reached from here. Point a {@code twilio:} carrier's {@code trunkingApi} and {@code restApi} at
 * {@link #url()}; carrier-router's contract test and the end-to-end ITs share it.
 */
public final class TwilioApiStandIn implements AutoCloseable {
  /** One request as received. */
  public record Request(String method, String path, Map<String, String> form) {
    public Request {
      form = Collections.unmodifiableMap(new LinkedHashMap<>(form)); // in the order sent
    }
  }

  private static final Pattern ORIGINATION = Pattern.compile("/v1/Trunks/(TK[0-9a-f]{32})/OriginationUrls(?:/(OU[0-9a-f]{32}))?");
  private static final Pattern NUMBER = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/IncomingPhoneNumbers/(PN[0-9a-f]{32})\\.json");

  private final ObjectMapper json = new ObjectMapper();
  private final HttpServer server;
  private final String account;
  private final String trunk;
  private final String authorization;
  private final Map<String, ObjectNode> originationUrls = new LinkedHashMap<>();
  private final Map<String, ObjectNode> numbers = new LinkedHashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final List<Integer> failures = new ArrayList<>();
  private int maxPageSize = 50;
  private int nextSid = 1;

  /**
   * Starts serving on a free loopback port.
   *
   * @param account the account SID ({@code AC…}) the numbers belong to
   * @param trunk the trunk SID ({@code TK…}) whose origination URLs it serves
   * @param user the HTTP Basic user it accepts (an API key SID or the account SID)
   * @param secret that user's secret
   */
  public TwilioApiStandIn(String account, String trunk, String user, String secret) throws IOException {
    this.account = account;
    this.trunk = trunk;
    this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The base URL of both APIs, e.g. {@code http://127.0.0.1:40123}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Adds an incoming phone number on the trunk. */
  public synchronized void addNumber(String sid, String e164) {
    ObjectNode n = json.createObjectNode().put("sid", sid).put("account_sid", account).put("phone_number", e164)
        .put("voice_url", "").put("voice_fallback_url", "").put("trunk_sid", trunk);
    numbers.put(sid, n);
  }

  /** A number as the REST API would return it now. */
  public synchronized ObjectNode number(String sid) {
    return numbers.get(sid).deepCopy();
  }

  /** Adds an origination URL someone else manages (Dialtone must leave it alone). */
  public synchronized String addOriginationUrl(String friendlyName, String sipUrl, int priority) {
    return create(Map.of("FriendlyName", friendlyName, "SipUrl", sipUrl, "Priority", Integer.toString(priority),
        "Weight", "1", "Enabled", "true")).get("sid").asText();
  }

  /** The trunk's origination URLs now, in creation order. */
  public synchronized List<ObjectNode> originationUrls() {
    return originationUrls.values().stream().map(ObjectNode::deepCopy).toList();
  }

  /** Every request received so far, in order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The next requests answer these HTTP statuses with a Twilio error object, in order. */
  public synchronized void failNext(Integer... statuses) {
    failures.addAll(List.of(statuses));
  }

  /** Pages of the origination URL list hold at most {@code size} items. */
  public synchronized void maxPageSize(int size) {
    maxPageSize = size;
  }

  private synchronized void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      String method = exchange.getRequestMethod();
      Map<String, String> form = new LinkedHashMap<>();
      if (method.equals("POST")) {
        String type = exchange.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
          reply(exchange, 400, error(400, 20001, "POST bodies must be application/x-www-form-urlencoded"));
          return;
        }
        form = decode(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      }
      requests.add(new Request(method, path, form));
      if (!authorization.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        reply(exchange, 401, error(401, 20003, "Authenticate"));
        return;
      }
      if (!failures.isEmpty()) {
        int status = failures.remove(0);
        reply(exchange, status, error(status, status == 429 ? 20429 : 20500, status == 429 ? "Too Many Requests" : "Internal Server Error"));
        return;
      }
      Matcher origination = ORIGINATION.matcher(path);
      Matcher number = NUMBER.matcher(path);
      if (origination.matches() && origination.group(1).equals(trunk)) {
        String sid = origination.group(2);
        if (sid == null && method.equals("GET")) {
          reply(exchange, 200, page(exchange.getRequestURI()));
        } else if (sid == null && method.equals("POST")) {
          for (String required : List.of("Weight", "Priority", "Enabled", "FriendlyName", "SipUrl")) {
            if (!form.containsKey(required)) {
              reply(exchange, 400, error(400, 20001, "Missing required parameter " + required + " in the post body"));
              return;
            }
          }
          reply(exchange, 201, create(form));
        } else if (sid != null && originationUrls.containsKey(sid) && method.equals("POST")) {
          reply(exchange, 200, update(originationUrls.get(sid), form));
        } else {
          reply(exchange, 404, error(404, 20404, "The requested resource " + path + " was not found"));
        }
      } else if (number.matches() && number.group(1).equals(account) && numbers.containsKey(number.group(2))) {
        ObjectNode n = numbers.get(number.group(2));
        if (method.equals("POST")) {
          if (form.containsKey("TrunkSid")) {
            if (form.get("TrunkSid").isEmpty()) {
              n.putNull("trunk_sid");
            } else {
              n.put("trunk_sid", form.get("TrunkSid"));
            }
          }
          if (form.containsKey("VoiceUrl")) {
            n.put("voice_url", form.get("VoiceUrl"));
          }
          if (form.containsKey("VoiceFallbackUrl")) {
            n.put("voice_fallback_url", form.get("VoiceFallbackUrl"));
          }
        }
        reply(exchange, 200, n);
      } else {
        reply(exchange, 404, error(404, 20404, "The requested resource " + path + " was not found"));
      }
    }
  }

  private ObjectNode create(Map<String, String> form) {
    String sid = String.format("OU%032x", nextSid++);
    ObjectNode n = json.createObjectNode().put("account_sid", account).put("sid", sid).put("trunk_sid", trunk)
        .put("date_created", "2026-11-22T21:00:00Z").put("date_updated", "2026-11-22T21:00:00Z")
        .put("url", "https://trunking.twilio.com/v1/Trunks/" + trunk + "/OriginationUrls/" + sid);
    originationUrls.put(sid, n);
    return update(n, form);
  }

  private static ObjectNode update(ObjectNode n, Map<String, String> form) {
    if (form.containsKey("FriendlyName")) {
      n.put("friendly_name", form.get("FriendlyName"));
    }
    if (form.containsKey("SipUrl")) {
      n.put("sip_url", form.get("SipUrl"));
    }
    if (form.containsKey("Priority")) {
      n.put("priority", Integer.parseInt(form.get("Priority")));
    }
    if (form.containsKey("Weight")) {
      n.put("weight", Integer.parseInt(form.get("Weight")));
    }
    if (form.containsKey("Enabled")) {
      n.put("enabled", Boolean.parseBoolean(form.get("Enabled")));
    }
    return n;
  }

  private ObjectNode page(URI request) {
    Map<String, String> query = decode(request.getRawQuery() == null ? "" : request.getRawQuery());
    int size = Math.min(maxPageSize, Integer.parseInt(query.getOrDefault("PageSize", "50")));
    int page = Integer.parseInt(query.getOrDefault("Page", "0"));
    List<ObjectNode> all = new ArrayList<>(originationUrls.values());
    String base = "https://trunking.twilio.com/v1/Trunks/" + trunk + "/OriginationUrls?PageSize=" + size + "&Page=";
    ObjectNode body = json.createObjectNode();
    ObjectNode meta = body.putObject("meta").put("page", page).put("page_size", size).put("first_page_url", base + 0)
        .put("url", base + page).put("key", "origination_urls");
    if (page > 0) {
      meta.put("previous_page_url", base + (page - 1));
    } else {
      meta.putNull("previous_page_url");
    }
    if ((page + 1) * size < all.size()) {
      meta.put("next_page_url", base + (page + 1) + "&PageToken=PA" + (page + 1));
    } else {
      meta.putNull("next_page_url");
    }
    ArrayNode items = body.putArray("origination_urls");
    all.stream().skip((long) page * size).limit(size).forEach(items::add);
    return body;
  }

  private ObjectNode error(int status, int code, String message) {
    return json.createObjectNode().put("code", code).put("message", message)
        .put("more_info", "https://www.twilio.com/docs/errors/" + code).put("status", status);
  }

  private void reply(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static Map<String, String> decode(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : text.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        out.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
