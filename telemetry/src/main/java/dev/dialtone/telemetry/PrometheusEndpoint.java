package dev.dialtone.telemetry;

import com.codahale.metrics.MetricRegistry;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Collection;

/**
 * The {@code /metrics} of a Dialtone process: its Dropwizard registry by the catalogue, and the
 * JVM's and the process's own metrics (heap, GC, threads, CPU, open files), in whichever format the
 * scraper asks for, written by the Prometheus client library.
 */
public final class PrometheusEndpoint {
  private final PrometheusRegistry registry = new PrometheusRegistry();

  public PrometheusEndpoint(MetricRegistry metrics, Collection<MetricName> catalogue) {
    registry.register(new DropwizardCatalogExports(metrics, catalogue));
    JvmMetrics.builder().register(registry);
  }

  /** The handler to mount on {@code /metrics} of a JDK HTTP server. */
  public HttpHandler handler() {
    return new MetricsHandler(registry);
  }

  /** Everything a scrape would see now, for tests and benchmarks. */
  public PrometheusRegistry registry() {
    return registry;
  }
}
