package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.security.ReplicaSecurity;

import com.codahale.metrics.MetricRegistry;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.controlplane.actuation.ActuatorModule;
import dev.dialtone.controlplane.admin.AdminGrpcService;
import dev.dialtone.controlplane.gameday.GameDayModule;
import dev.dialtone.controlplane.gameday.GameDayService;
import dev.dialtone.controlplane.health.AgentService;
import dev.dialtone.controlplane.health.HealthView;
import dev.dialtone.controlplane.loop.DecisionSource;
import dev.dialtone.controlplane.notify.NotifyModule;
import dev.dialtone.controlplane.plan.StepHook;
import dev.dialtone.controlplane.policy.PlacementPolicy;
import dev.dialtone.controlplane.state.StateException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.RegionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.framework.state.StandardConnectionStateErrorPolicy;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Wires a replica from its configuration. Actuators come from a {@code Set<TrafficActuator>}
 * multibinding that {@link ActuatorModule} fills from the file (tests may add their own); a replica
 * left with none refuses to start unless its file says {@code mode: RECOMMEND_ONLY}.
 */
public final class ControlPlaneModule extends AbstractModule {
  private final ControlPlaneConfig config;

  public ControlPlaneModule(ControlPlaneConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    bind(ControlPlaneConfig.class).toInstance(config);
    Multibinder.newSetBinder(binder(), TrafficActuator.class);
    install(new ActuatorModule(config));
    install(new GameDayModule(config));
    install(new NotifyModule(config));
  }

  @Provides
  @Singleton
  Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  @Singleton
  MetricRegistry metrics() {
    return new MetricRegistry();
  }

  @Provides
  @Singleton
  CuratorFramework curator() {
    ControlPlaneConfig.ZooKeeper zk = config.zookeeper();
    return ReplicaSecurity.applyZooKeeper(config, CuratorFrameworkFactory.builder()
        .connectString(zk.connect())
        .sessionTimeoutMs((int) zk.sessionTimeout().toMillis())
        .connectionTimeoutMs((int) zk.connectionTimeout().toMillis())
        .retryPolicy(new ExponentialBackoffRetry(100, 10, 2_000))
        .connectionStateErrorPolicy(zk.stopOn() == ControlPlaneConfig.StopOn.SUSPENDED
            ? new StandardConnectionStateErrorPolicy() : new SessionConnectionStateErrorPolicy()))
        .build();
  }

  @Provides
  @Singleton
  PlacementPolicy policy() {
    return new PlacementPolicy();
  }

  @Provides
  @Singleton
  Replica replica(CuratorFramework client, Set<TrafficActuator> actuators, HealthView view, PlacementPolicy policy,
      Clock clock, MetricRegistry metrics) {
    client.start();
    // A recommend-only replica drives nothing, whatever is bound.
    List<TrafficActuator> driven = config.mode() == ControlPlaneConfig.Operation.RECOMMEND_ONLY ? List.of()
        : new ArrayList<>(actuators);
    return new Replica(config, new Replica.Parts(client, driven, view::snapshot,
        DecisionSource.of(policy), clock, StepHook.NONE, metrics));
  }

  @Provides
  @Singleton
  HealthView healthView(CuratorFramework client, Clock clock) {
    Supplier<Set<String>> known = new RegisteredRegions(client, config, clock);
    return new HealthView(config.deployment(), known, config.policy().toPolicyConfig().staleAfter(),
        HealthView.DEFAULT_MAX_REPORT_BYTES);
  }

  @Provides
  @Singleton
  AgentService agentService(HealthView view, Replica replica, MetricRegistry metrics, Clock clock, ReplicaSecurity security) {
    return new AgentService(view, replica, metrics, clock, security.unverified(), replica.loop()::nudge);
  }

  @Provides
  @Singleton
  ReplicaSecurity security(MetricRegistry metrics) {
    return ReplicaSecurity.from(config, metrics);
  }

  @Provides
  @Singleton
  AdminGrpcService adminService(Replica replica, PlacementPolicy policy, HealthView view, Clock clock,
      Optional<GameDayService> gameDays) {
    return new AdminGrpcService(replica, policy, view::snapshot, clock, gameDays);
  }

  /** The registered region ids, read from ZooKeeper at most once a second (asked at every report). */
  static final class RegisteredRegions implements Supplier<Set<String>> {
    private final dev.dialtone.controlplane.state.ZooKeeperStateStore store;
    private final Clock clock;
    private final Set<String> configured;
    private Set<String> cached = Set.of();
    private Instant readAt = Instant.MIN;

    RegisteredRegions(CuratorFramework client, ControlPlaneConfig config, Clock clock) {
      this.store = new dev.dialtone.controlplane.state.ZooKeeperStateStore(client,
          new dev.dialtone.controlplane.state.DeploymentPaths(config.deployment()),
          dev.dialtone.controlplane.state.StateJson.mapper(), config.historyCap());
      this.clock = clock;
      this.configured = Set.copyOf(config.regions().stream().map(dev.dialtone.actuation.RegionConfig::id).toList());
      this.cached = configured;
    }

    @Override
    public synchronized Set<String> get() {
      Instant now = clock.instant();
      if (Duration.between(readAt, now).compareTo(Duration.ofSeconds(1)) >= 0) {
        readAt = now;
        try {
          // Configured regions count before a leader has seeded them into ZooKeeper: their agents'
          // first reports must not be refused in that window.
          // A removed region's tombstone outranks the file: its agent's reports are refused.
          Map<String, RegionSpec> stored = store.regions();
          Set<String> known = new HashSet<>();
          configured.stream().filter(id -> !stored.containsKey(id)).forEach(known::add);
          stored.values().stream().filter(r -> r.lifecycle() != Lifecycle.REMOVED).forEach(r -> known.add(r.id()));
          cached = Set.copyOf(known);
        } catch (StateException e) {
          // keep the last known set: reports keep flowing while ZooKeeper is away
        }
      }
      return cached;
    }
  }
}
