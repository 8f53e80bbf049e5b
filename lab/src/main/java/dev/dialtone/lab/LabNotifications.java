package dev.dialtone.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A STAND-IN for the operator's incident webhook (the lab reaches no real Slack, PagerDuty or
 * bus): an HTTP server on 127.0.0.1 in the lab's own process that takes the replicas' generic
 * webhook notifications, checks their bearer token, appends each to {@code received.jsonl} and
 * keeps it, so the lab can print where its drill's notifications went.
 */
public final class LabNotifications implements AutoCloseable {
  /** One notification the receiver took. */
  public record Received(Instant at, String kind, String severity, String summary, String id) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Path log;
  private final byte[] authorization;
  private final Clock clock;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private LabNotifications(Path dir, String authorization, Clock clock) throws IOException {
    Files.createDirectories(dir);
    this.log = dir.resolve("received.jsonl");
    this.authorization = authorization.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    this.executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "lab-notifications");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/dialtone", this::handle);
    server.start();
  }

  /** Listens on a free loopback port; callers must send {@code authorization} as their Authorization header. */
  public static LabNotifications start(Path dir, String authorization, Clock clock) throws IOException {
    return new LabNotifications(dir, authorization, clock);
  }

  /** The URL the replicas' webhook receiver posts to. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/dialtone";
  }

  /** The file every notification taken is appended to, one JSON object per line. */
  public Path log() {
    return log;
  }

  /**
   * Waits (at most {@code timeout}) until something taken at or after {@code since} satisfies
   * {@code wanted}; woken by each delivery, not by polling.
   *
   * @return whether it came in time
   */
  public boolean await(Instant since, java.util.function.Predicate<Received> wanted, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (received) {
      while (since(since).stream().noneMatch(wanted)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(received, left);
      }
      return true;
    }
  }

  /** What the receiver took at or after {@code since}, oldest first. */
  public List<Received> since(Instant since) {
    return received.stream().filter(r -> !r.at().isBefore(since)).toList();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String given = ex.getRequestHeaders().getFirst("Authorization");
      if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), authorization)) {
        answer(ex, 401, "{\"error\":\"unauthorized\"}");
        return;
      }
      if (!"POST".equals(ex.getRequestMethod())) {
        answer(ex, 405, "{\"error\":\"POST only\"}");
        return;
      }
      byte[] body = ex.getRequestBody().readAllBytes();
      JsonNode n;
      try {
        n = JSON.readTree(body);
      } catch (IOException e) {
        answer(ex, 400, "{\"error\":\"not JSON\"}");
        return;
      }
      if (!n.path("kind").isTextual() || !n.path("id").isTextual()) {
        answer(ex, 400, "{\"error\":\"kind and id are required\"}");
        return;
      }
      Received r = new Received(clock.instant(), n.path("kind").asText(), n.path("severity").asText(),
          n.path("summary").asText(), n.path("id").asText());
      // Every delivery is kept, repeats too (same id): the lab shows what the replicas sent, not a cleaned view.
      synchronized (received) {
        received.add(r);
        received.notifyAll();
      }
      Files.writeString(log, JSON.writeValueAsString(n) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      answer(ex, 202, "{\"accepted\":true}");
    }
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
