package dev.dialtone.agent.http;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dialtone.agent.metrics.AgentMetrics;
import dev.dialtone.telemetry.PrometheusEndpoint;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dialtone.agent.readiness.ReadinessPolicy.Readiness;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The agent's loopback HTTP endpoints: {@code /healthz} (alive), {@code /readyz} (200 when every
 * critical dependency is ready, else 503 with the reasons as JSON) and {@code /metrics}.
 */
public final class AgentHttpServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor;

  public AgentHttpServer(int port, Supplier<Readiness> readiness, MetricRegistry metrics) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "agent-http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> respond(ex, 200, "text/plain", "ok\n"));
    server.createContext("/readyz", ex -> {
      Readiness r = readiness.get();
      String body = JSON.writeValueAsString(Map.of("ready", r.ready(), "reasons", r.reasons()));
      respond(ex, r.ready() ? 200 : 503, "application/json", body);
    });
    server.createContext("/metrics", new PrometheusEndpoint(metrics, AgentMetrics.ALL).handler());
  }

  /** Starts serving. */
  public void start() {
    server.start();
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
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
