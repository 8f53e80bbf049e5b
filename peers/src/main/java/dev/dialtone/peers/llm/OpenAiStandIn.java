package dev.dialtone.peers.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dialtone.peers.Peer;
import dev.dialtone.peers.process.FreePorts;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * STAND-IN, not the real thing: a tiny OpenAI-compatible API on a free loopback port, because the
 * real LLM API cannot run here. Answers {@code GET /v1/models} and {@code POST
 * /v1/chat/completions} in OpenAI's response shapes, requires {@code Authorization: Bearer
 * <key>}, and has switches for the failures a probe must tell apart: a delay before answering,
 * 429 rate limiting and 5xx server errors.
 */
public final class OpenAiStandIn implements Peer {

  /** What the stand-in answers with. */
  public enum Mode {
    /** 200 with OpenAI-shaped bodies. */
    OK,
    /** 429 with a Retry-After header and an OpenAI error body. */
    RATE_LIMITED,
    /** 503 with an OpenAI error body. */
    SERVER_ERROR
  }

  private final String apiKey;
  private final int port;
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
  private final AtomicReference<Duration> delay = new AtomicReference<>(Duration.ZERO);
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;
  private ExecutorService executor;

  /** A stand-in requiring {@code apiKey}; {@code workDir} is unused (no files) but keeps the Peer factory shape. */
  public OpenAiStandIn(Path workDir, String apiKey) {
    this.apiKey = apiKey;
    this.port = FreePorts.tcpAndUdp();
  }

  /** A stand-in requiring the key {@code test-key}. */
  public OpenAiStandIn(Path workDir) {
    this(workDir, "test-key");
  }

  @Override
  public String name() {
    return "openai-stand-in";
  }

  public int port() {
    return port;
  }

  /** The base URL to configure a client with, e.g. {@code http://127.0.0.1:1234}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public String apiKey() {
    return apiKey;
  }

  /** Switches how the next requests are answered. */
  public void setMode(Mode m) {
    mode.set(m);
  }

  /** Delays every answer (before the status line) by {@code d}. */
  public void setDelay(Duration d) {
    delay.set(d);
  }

  /** Requests served so far. */
  public int requests() {
    return requests.get();
  }

  @Override
  public synchronized void start() throws IOException {
    if (server != null) {
      return;
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/v1/models", ex -> handle(ex, "GET",
        "{\"object\":\"list\",\"data\":[{\"id\":\"stand-in-mini\",\"object\":\"model\",\"created\":1700000000,\"owned_by\":\"dialtone-testkit\"}]}"));
    server.createContext("/v1/chat/completions", ex -> handle(ex, "POST",
        "{\"id\":\"chatcmpl-standin\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"stand-in-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"p\"},\"finish_reason\":\"length\"}],"
            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}"));
    server.start();
  }

  private void handle(HttpExchange ex, String method, String okBody) throws IOException {
    requests.incrementAndGet();
    try (ex) {
      ex.getRequestBody().readAllBytes();
      Duration d = delay.get();
      if (!d.isZero()) {
        try {
          TimeUnit.NANOSECONDS.sleep(d.toNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!ex.getRequestMethod().equals(method)) {
        send(ex, 405, error("method not allowed", "invalid_request_error"));
        return;
      }
      if (!("Bearer " + apiKey).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
        send(ex, 401, error("Incorrect API key provided.", "invalid_api_key"));
        return;
      }
      switch (mode.get()) {
        case OK -> send(ex, 200, okBody);
        case RATE_LIMITED -> {
          ex.getResponseHeaders().set("Retry-After", "1");
          send(ex, 429, error("Rate limit reached.", "rate_limit_exceeded"));
        }
        case SERVER_ERROR -> send(ex, 503, error("The server is overloaded.", "server_error"));
      }
    }
  }

  private static String error(String message, String code) {
    return "{\"error\":{\"message\":\"" + message + "\",\"type\":\"" + code + "\",\"param\":null,\"code\":\"" + code + "\"}}";
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public synchronized void stop() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of();
  }

  @Override
  public void close() {
    stop();
  }
}
