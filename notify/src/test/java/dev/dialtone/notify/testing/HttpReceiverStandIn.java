package dev.dialtone.notify.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * A STAND-IN for a notification receiver (a generic webhook, Slack's incoming webhooks or
 * PagerDuty's Events API v2; none of them is reachable from here): a JDK HTTP server on 127.0.0.1
 * that checks each JSON POST against the service's documented schema ({@link PayloadSchemas}),
 * answers as the service does (a 2xx, or 400 naming the problems), and records what it took.
 * While {@link #down(BooleanSupplier)} says so it answers 503, as a service in trouble does.
 */
public final class HttpReceiverStandIn implements AutoCloseable {
  /** One request the stand-in took (answered 2xx). */
  public record Request(String path, Map<String, List<String>> headers, JsonNode body) {
    /** The first value of header {@code name}, or {@code null}. */
    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().getFirst()).orElse(null);
    }
  }

  /** How a service answers a payload it takes. */
  public record Service(String name, Function<JsonNode, List<String>> schema, int status, String body) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Service service;
  private final List<Request> taken = new CopyOnWriteArrayList<>();
  private final List<String> refused = new CopyOnWriteArrayList<>();
  private volatile BooleanSupplier down = () -> false;
  private volatile boolean refusing;
  private volatile int attempts;

  private HttpReceiverStandIn(Service service) throws IOException {
    this.service = service;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A stand-in for {@code service}, listening on a free loopback port. */
  public static HttpReceiverStandIn start(Service service) throws IOException {
    return new HttpReceiverStandIn(service);
  }

  /** A stand-in for a generic Dialtone webhook receiver. */
  public static Service webhook() {
    return new Service("webhook", PayloadSchemas::webhook, 204, "");
  }

  /** A stand-in for a Slack incoming webhook: 200 {@code ok}, or 400 {@code invalid_payload}. */
  public static Service slack() {
    return new Service("slack", PayloadSchemas::slack, 200, "ok");
  }

  /** A stand-in for PagerDuty's Events API v2: 202 with the dedup key, or 400 {@code invalid event}. */
  public static Service pagerDuty() {
    return new Service("pagerduty", PayloadSchemas::pagerDuty, 202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
  }

  /** The URL of {@code path} on this stand-in. */
  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  /** Answers 503 while {@code whileTrue} holds. */
  public void down(BooleanSupplier whileTrue) {
    this.down = whileTrue;
  }

  /** Refuses every request with 400 as the service does a bad credential, while {@code refuse} is true. */
  public void refuse(boolean refuse) {
    this.refusing = refuse;
  }

  /** What the stand-in took, in order. */
  public List<Request> taken() {
    return List.copyOf(taken);
  }

  /** Schema problems of the payloads it refused. */
  public List<String> refused() {
    return List.copyOf(refused);
  }

  /** Every request it answered, taken or not. */
  public int attempts() {
    return attempts;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      attempts++;
      byte[] raw = exchange.getRequestBody().readAllBytes();
      if (down.getAsBoolean()) {
        answer(exchange, 503, "service unavailable (stand-in is down)");
        return;
      }
      if (refusing) {
        answer(exchange, 400, service.name().equals("slack") ? "invalid_token" : "{\"status\":\"invalid event\",\"message\":\"Invalid routing key\"}");
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        answer(exchange, 405, "POST only");
        return;
      }
      String type = exchange.getRequestHeaders().getFirst("Content-Type");
      JsonNode body;
      try {
        body = JSON.readTree(raw);
      } catch (IOException e) {
        body = null;
      }
      List<String> problems = body == null || type == null || !type.startsWith("application/json")
          ? List.of("not a JSON body with Content-Type application/json") : service.schema().apply(body);
      if (!problems.isEmpty()) {
        refused.addAll(problems);
        answer(exchange, 400, service.name().equals("slack") ? "invalid_payload"
            : JSON.writeValueAsString(Map.of("status", "invalid event", "message", "Event object is invalid", "errors", problems)));
        return;
      }
      taken.add(new Request(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
      answer(exchange, service.status(), service.body());
    }
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
