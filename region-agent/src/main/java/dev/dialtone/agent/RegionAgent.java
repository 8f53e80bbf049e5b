package dev.dialtone.agent;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.dialtone.agent.metrics.AgentMetrics;
import com.google.inject.Guice;
import com.google.inject.Inject;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.agent.http.AgentHttpServer;
import dev.dialtone.agent.probe.ProbeScheduler;
import dev.dialtone.agent.probe.ProbeState;
import dev.dialtone.agent.readiness.ReadinessPolicy;
import dev.dialtone.agent.report.HealthReporter;
import dev.dialtone.agent.report.ReportAssembler;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The region agent process: runs the probes, reports at every round and at once on any verdict
 * change, and serves the loopback HTTP endpoints.
 */
public final class RegionAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RegionAgent.class);

  private final AgentConfig config;
  private final ProbeScheduler scheduler;
  private final HealthReporter reporter;
  private final ReportAssembler assembler;
  private final ReadinessPolicy readiness;
  private final ScheduledExecutorService timer;
  private final Executor attempts;
  private final Clock clock;
  private final MetricRegistry metrics;
  private final AgentHttpServer http;
  private final Map<String, Integer> statusCodes = new ConcurrentHashMap<>();
  private ScheduledFuture<?> reportRounds;

  @Inject
  RegionAgent(
      AgentConfig config,
      List<ProbeScheduler.ScheduledProbe> probes,
      HealthReporter reporter,
      ReportAssembler assembler,
      ReadinessPolicy readiness,
      ScheduledExecutorService timer,
      @Named("attempts") Executor attempts,
      Clock clock,
      Ticker ticker,
      MetricRegistry metrics) {
    this.config = config;
    this.reporter = reporter;
    this.assembler = assembler;
    this.readiness = readiness;
    this.timer = timer;
    this.attempts = attempts;
    this.clock = clock;
    this.metrics = metrics;
    this.scheduler = new ProbeScheduler(config.region(), probes, timer, attempts, clock, ticker, this::onResult,
        config.warmUp());
    for (ProbeScheduler.ScheduledProbe p : probes) {
      String name = p.spec().name();
      statusCodes.put(name, 0);
      metrics.gauge(AgentMetrics.PROBE_STATUS.name(config.region(), name), () -> (Gauge<Integer>) () -> statusCodes.get(name));
    }
    metrics.gauge(AgentMetrics.READY.name(config.region()), () -> (Gauge<Integer>) () -> readiness().ready() ? 1 : 0);
    if (config.controlPlane().tls() != null) {
      metrics.register(AgentMetrics.CERTIFICATE_EXPIRY.name("agent-client"),
          new dev.dialtone.telemetry.CertificateExpiry(java.nio.file.Path.of(config.controlPlane().tls().certificate())));
    }
    try {
      this.http = new AgentHttpServer(config.http().port(), this::readiness, metrics);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + config.http().port(), e);
    }
  }

  /** Builds an agent from a validated configuration with production wiring. */
  public static RegionAgent create(AgentConfig config) {
    return Guice.createInjector(new AgentModule(config)).getInstance(RegionAgent.class);
  }

  /** Starts serving, streaming and probing. */
  public synchronized void start() {
    http.start();
    reporter.start(this::onDirective);
    scheduler.start();
    long period = config.reportInterval().toNanos();
    reportRounds = timer.scheduleAtFixedRate(this::reportSafely, period, period, TimeUnit.NANOSECONDS);
    log.info("[region={}] agent started: {} probes, {} replicas, http 127.0.0.1:{}", config.region(),
        config.probes().size() + config.vantage().size(), config.controlPlane().replicas().size(), http.port());
  }

  /** The loopback HTTP port (resolved when configured as 0). */
  public int httpPort() {
    return http.port();
  }

  /** The current probe states. */
  public List<ProbeState> states() {
    return scheduler.snapshot();
  }

  /** Whether the region is ready now, and why not. */
  public ReadinessPolicy.Readiness readiness() {
    return readiness.evaluate(scheduler.snapshot(), clock.instant());
  }

  private void onResult(ProbeState state, boolean changed) {
    metrics.timer(AgentMetrics.PROBE_LATENCY.name(config.region(), state.spec().name()))
        .update(state.last().latency());
    statusCodes.put(state.spec().name(), state.verdict().getNumber());
    if (changed) {
      reportSafely();
    }
  }

  private void onDirective(Directive directive) {
    if (directive.hasProbeNow()) {
      log.info("[region={}] probing now: {}", config.region(), directive.getProbeNow().getReason());
      scheduler.runAllNow();
    }
  }

  /** Assembles and publishes atomically, so a newer sequence never reaches a mailbox before an older one. */
  private synchronized void reportSafely() {
    try {
      HealthReport report = assembler.assemble(scheduler.snapshot());
      reporter.publish(report);
    } catch (RuntimeException e) {
      log.error("[region={}] report failed", config.region(), e);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (reportRounds != null) {
        reportRounds.cancel(false);
      }
    }
    scheduler.close();
    reporter.close();
    http.close();
    timer.shutdownNow();
    if (attempts instanceof java.util.concurrent.ExecutorService es) {
      es.shutdownNow();
    }
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("[region={}] agent stopped", config.region());
  }

}
