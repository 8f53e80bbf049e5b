package dev.dialtone.agent.report;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.agent.readiness.ReadinessPolicy;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/** Wires report assembly and the per-replica reporter from the configuration. */
public final class ReportModule extends AbstractModule {

  @Provides
  @Singleton
  ChannelFactory channelFactory(AgentConfig config) {
    return new PlaintextChannelFactory(config.controlPlane().keepAliveTime(), config.controlPlane().keepAliveTimeout());
  }

  @Provides
  @Singleton
  HealthReporter reporter(AgentConfig config, ChannelFactory channels, ScheduledExecutorService timer,
      RandomGenerator random, MetricRegistry metrics) {
    AgentConfig.ControlPlane cp = config.controlPlane();
    return new HealthReporter(config.region(), cp.replicas(), channels, timer,
        new HealthReporter.BackoffSettings(cp.reconnectInitial(), cp.reconnectMax(), 0.2),
        random::nextDouble, metrics);
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
