package dev.dialtone.agent.report;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.config.Backoff;
import dev.dialtone.agent.readiness.ReadinessPolicy;
import dev.dialtone.security.tls.TlsFiles;
import dev.dialtone.security.tls.TransportSecurity;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/** Wires report assembly and the per-replica reporter from the configuration. */
public final class ReportModule extends AbstractModule {

  @Provides
  @Singleton
  ChannelFactory channelFactory(AgentConfig config, ScheduledExecutorService timer) {
    AgentConfig.ControlPlane cp = config.controlPlane();
    if (cp.tls() == null) {
      TransportSecurity.plaintext("region agent " + config.region()); // logs the loud warning
      return new PlaintextChannelFactory(cp.keepAliveTime(), cp.keepAliveTimeout());
    }
    AgentConfig.Tls t = cp.tls();
    // Re-reads run on the agent's timer: a short file read every refresh period.
    TransportSecurity security = TransportSecurity.mutualTls(
        new TlsFiles(Path.of(t.certificate()), Path.of(t.key()), Path.of(t.trustBundle()), t.refresh()), timer, true);
    return new TlsChannelFactory(security, config.deployment(), cp.keepAliveTime(), cp.keepAliveTimeout());
  }

  @Provides
  @Singleton
  HealthReporter reporter(AgentConfig config, ChannelFactory channels, ScheduledExecutorService timer,
      RandomGenerator random, MetricRegistry metrics) {
    AgentConfig.ControlPlane cp = config.controlPlane();
    return new HealthReporter(config.region(), cp.replicas(), channels, timer,
        new Backoff(cp.reconnectInitial(), cp.reconnectMax()), random, metrics);
  }

  @Provides
  @Singleton
  ReportAssembler assembler(AgentConfig config, ReadinessPolicy readiness, Clock clock, RandomGenerator random) {
    String agentId = config.agentId() == null ? config.region() + "-agent" : config.agentId();
    // Never zero, so receivers can treat 0 as "no incarnation seen yet".
    long incarnation = random.nextLong(1, Long.MAX_VALUE);
    return new ReportAssembler(config.deployment(), config.region(), agentId, incarnation,
        config.reportInterval(), readiness, clock);
  }

  @Provides
  @Singleton
  ReadinessPolicy readiness(AgentConfig config) {
    return new ReadinessPolicy(config.readyWindow());
  }

}
