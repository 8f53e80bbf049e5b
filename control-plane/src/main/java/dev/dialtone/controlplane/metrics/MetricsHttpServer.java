package dev.dialtone.controlplane.metrics;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.dialtone.telemetry.PrometheusEndpoint;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

/** Serves the replica's metrics on {@code /metrics} (by {@link ReplicaMetrics}, through the Prometheus client), and its liveness and readiness. */
public final class MetricsHttpServer implements AutoCloseable {
  private final HttpServer server;

  public MetricsHttpServer(MetricRegistry metrics, String address, int port) throws IOException {
    this(metrics, address, port, Optional::empty);
  }

  /**
   * Also serves {@code /healthz} (200 while the process serves) and {@code /readyz} (200 when
   * {@code notReady} is empty, else 503 with its reason), for load balancers and orchestrators.
   */
  public MetricsHttpServer(MetricRegistry metrics, String address, int port, Supplier<Optional<String>> notReady)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/metrics", new PrometheusEndpoint(metrics, ReplicaMetrics.ALL).handler());
    server.createContext("/healthz", ex -> plain(ex, 200, "ok"));
    server.createContext("/readyz", ex -> {
      Optional<String> why = notReady.get();
      plain(ex, why.isEmpty() ? 200 : 503, why.map(w -> "not ready: " + w).orElse("ready"));
    });
  }

  private static void plain(HttpExchange ex, int status, String text) throws IOException {
    byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Where it listens. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
