package dev.dialtone.agent;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Names;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.agent.probe.ProbeModule;
import dev.dialtone.agent.report.ReportModule;
import dev.dialtone.agent.time.Ticker;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.random.RandomGenerator;

/**
 * Wires a region agent from a validated configuration: process-wide time, randomness, executors
 * and metrics here; probes and reporting in their packages' modules.
 */
public final class AgentModule extends AbstractModule {
  private final AgentConfig config;
  public AgentModule(AgentConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(AgentConfig.class).toInstance(config);
    bind(Clock.class).toInstance(Clock.systemUTC());
    bind(Ticker.class).toInstance(Ticker.system());
    bind(MetricRegistry.class).toInstance(new MetricRegistry());
    install(new ProbeModule());
    install(new ReportModule());
  }

  @Provides
  @Singleton
  RandomGenerator random() {
    return new SecureRandom();
  }

  /** Rounds, deadlines and reconnect timers: short tasks only, never a probe attempt. */
  @Provides
  @Singleton
  ScheduledExecutorService timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2, Thread.ofPlatform().name("agent-timer-", 0).daemon().factory());
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }

  /** Probe attempts: one virtual thread each, so an abandoned, hung attempt costs little. */
  @Provides
  @Singleton
  @jakarta.inject.Named("attempts")
  Executor attempts() {
    return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("probe-", 0).factory());
  }
}
