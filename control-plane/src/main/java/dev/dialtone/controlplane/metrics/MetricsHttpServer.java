package dev.dialtone.controlplane.metrics;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.dropwizard.DropwizardExports;
import io.prometheus.client.exporter.common.TextFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** Serves the replica's Dropwizard metrics as Prometheus text on {@code /metrics}. */
public final class MetricsHttpServer implements AutoCloseable {
  private final HttpServer server;

  public MetricsHttpServer(MetricRegistry metrics, String address, int port) throws IOException {
    CollectorRegistry registry = new CollectorRegistry();
    new DropwizardExports(metrics).register(registry);
    server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/metrics", ex -> {
      StringWriter text = new StringWriter();
      TextFormat.write004(text, registry.metricFamilySamples());
      byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", TextFormat.CONTENT_TYPE_004);
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    });
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
