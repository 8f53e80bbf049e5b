package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.dialtone.controlplane.metrics.ReplicaMetrics;
import dev.dialtone.controlplane.metrics.ShiftTimings;
import dev.dialtone.actuation.RegionConfig;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.health.LeaderViewSource;
import dev.dialtone.controlplane.leadership.CuratorLeadership;
import dev.dialtone.controlplane.leadership.LeadershipListener;
import dev.dialtone.controlplane.loop.ControlLoop;
import dev.dialtone.controlplane.loop.DecisionSource;
import dev.dialtone.controlplane.model.Lifecycle;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.PlanExecutor;
import dev.dialtone.controlplane.plan.PlanListener;
import dev.dialtone.controlplane.plan.RetryBudget;
import dev.dialtone.controlplane.plan.StepHook;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.StateJson;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import dev.dialtone.proto.v1.LeaderView;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One control-plane replica's brain, without its servers: leadership, state, plan executor and
 * control loop over one Curator client. {@link ControlPlaneReplica} adds gRPC and metrics over
 * HTTP; scenario tests run several of these in one JVM.
 */
public final class Replica implements LeaderViewSource, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Replica.class);

  /** What a replica needs besides its configuration. */
  public record Parts(
      CuratorFramework client, List<TrafficActuator> actuators, Function<Instant, HealthSnapshot> health,
      DecisionSource decisions, Clock clock, StepHook hook, MetricRegistry metrics) {}

  private final ControlPlaneConfig config;
  private final ZooKeeperStateStore store;
  private final CuratorLeadership leadership;
  private final PlanExecutor executor;
  private final ControlLoop loop;
  private final CopyOnWriteArrayList<Consumer<LeaderView>> viewListeners = new CopyOnWriteArrayList<>();
  private final CopyOnWriteArrayList<LeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private final CuratorCache epochWatch;

  public Replica(ControlPlaneConfig config, Parts parts) {
    this.config = config;
    this.clock = parts.clock();
    DeploymentPaths paths = new DeploymentPaths(config.deployment());
    MetricRegistry metrics = parts.metrics();
    this.store = new ZooKeeperStateStore(parts.client(), paths, StateJson.mapper(), config.historyCap());
    LeadershipListener forward = new LeadershipListener() {
      @Override
      public void onGained(long epoch) {
        recordLeadership(epoch);
        seedRegions(epoch);
        loop().onGained(epoch);
        tellLeadership(l -> l.onGained(epoch));
        publishView();
      }

      @Override
      public void onLost() {
        tellLeadership(LeadershipListener::onLost);
        loop().onLost();
        publishView();
      }
    };
    this.leadership = new CuratorLeadership(parts.client(), paths, config.replicaId(), forward);
    ControlPlaneConfig.Plans p = config.plans();
    if (parts.actuators().isEmpty()) {
      log.warn("[replica={}] RECOMMEND ONLY: this replica decides, records and alerts, but moves nothing and commits no"
          + " placement", config.replicaId());
    }
    this.executor = new PlanExecutor(parts.actuators(), store, leadership,
        new RetryBudget(p.attemptTimeout(), p.stepBudget(), p.initialBackoff(), p.maxBackoff()), clock,
        Sleeper.system(), new SecureRandom(), leadership::relinquish, parts.hook(),
        (step, d) -> metrics.timer(ReplicaMetrics.PLAN_STEP_SECONDS.name(step)).update(d));
    ShiftTimings timings = new ShiftTimings(metrics, parts.decisions());
    executor.addListener(timings);
    ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "control-loop-" + config.replicaId());
      t.setDaemon(true);
      return t;
    });
    AtomicLong seq = new AtomicLong();
    this.loop = new ControlLoop(store, parts.health(), timings::decide, parts.decisions()::lifecycleChanges,
        config.policy().toPolicyConfig(), executor, leadership, clock,
        () -> "e" + leadership.currentEpoch() + "-" + seq.incrementAndGet(), thread, config.tick(),
        d -> metrics.counter(ReplicaMetrics.DECISIONS.name(d.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT))).inc());
    // Every new term changes the epoch znode: followers learn of new leaders from it.
    this.epochWatch = CuratorCache.build(parts.client(), paths.epoch(), CuratorCache.Options.SINGLE_NODE_CACHE);
    epochWatch.listenable().addListener((type, before, after) -> publishView());
    metrics.register(ReplicaMetrics.LEADER.name(), (Gauge<Integer>) () -> leadership.term().isPresent() ? 1 : 0);
    // The term this replica knows, leader or follower (followers used to read 0 while GetStatus said 1).
    metrics.register(ReplicaMetrics.EPOCH.name(), (Gauge<Long>) leadership::currentEpoch);
    metrics.register(ReplicaMetrics.ZOOKEEPER_CONNECTED.name(), (Gauge<Integer>) () -> leadership.connected() ? 1 : 0);
  }

  /**
   * Adds a leader-only service (e.g. game days): told on the leadership thread after the loop
   * starts at a new epoch, and before it stops when the term ends. Register before {@link #start()}.
   */
  public void addLeadershipListener(LeadershipListener listener) {
    leadershipListeners.add(listener);
  }

  /** Adds an observer of the plans this replica runs while it leads. */
  public void addPlanListener(PlanListener listener) {
    executor.addListener(listener);
  }

  private void tellLeadership(Consumer<LeadershipListener> call) {
    for (LeadershipListener l : leadershipListeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // One broken service must not keep the others (or the loop) from hearing of the change.
        log.error("[replica={}] leadership listener failed", config.replicaId(), e);
      }
    }
  }

  /** Joins the election. */
  public void start() {
    epochWatch.start();
    leadership.start();
  }

  private void recordLeadership(long epoch) {
    try {
      loop.note(epoch, HistoryKind.LEADERSHIP, "", config.replicaId(), config.replicaId() + " leads at epoch " + epoch,
          "elected through ZooKeeper", Map.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StateException e) {
      log.warn("[replica={} epoch={}] could not record leadership: {}", config.replicaId(), epoch, e.getMessage());
    }
  }

  private void seedRegions(long epoch) {
    if (config.regions().isEmpty()) {
      return;
    }
    try {
      Map<String, RegionSpec> known = store.regions();
      for (RegionConfig r : config.regions()) {
        if (!known.containsKey(r.id())) {
          store.putRegion(epoch, new RegionSpec(r.id(), r.priority(), r.toEdge(), Lifecycle.STANDBY,
              clock.instant()));
          loop.note(epoch, HistoryKind.REGION, "", "config", r.id() + " registered as STANDBY",
              "declared in the replica's configuration", Map.of());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StateException e) {
      log.warn("[replica={} epoch={}] could not seed regions: {}", config.replicaId(), epoch, e.getMessage());
    }
  }

  public ControlPlaneConfig config() {
    return config;
  }

  public CuratorLeadership leadership() {
    return leadership;
  }

  public ZooKeeperStateStore store() {
    return store;
  }

  public ControlLoop loop() {
    return loop;
  }

  @Override
  public LeaderView current() {
    return LeaderView.newBuilder()
        .setReplicaId(config.replicaId())
        .setLeaderId(leadership.leaderId())
        .setEpoch(leadership.currentEpoch())
        .build();
  }

  @Override
  public void addListener(Consumer<LeaderView> listener) {
    viewListeners.add(listener);
  }

  private void publishView() {
    LeaderView v = current();
    viewListeners.forEach(l -> l.accept(v));
  }

  @Override
  public void close() {
    epochWatch.close();
    leadership.close();
    loop.close();
    executor.close();
  }
}
