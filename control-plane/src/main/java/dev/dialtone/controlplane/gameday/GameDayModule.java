package dev.dialtone.controlplane.gameday;

import com.google.inject.AbstractModule;
import com.google.inject.Key;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.calls.CallCounter;
import dev.dialtone.chaos.drill.DrillCatalog;
import dev.dialtone.chaos.fault.NamespacePacketFilter;
import dev.dialtone.chaos.fault.PacketFilterPath;
import dev.dialtone.chaos.fault.PacketFilterPaths;
import dev.dialtone.controlplane.health.HealthView;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.Replica;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Set;

/**
 * Wires game days when the configuration has a {@code chaos:} section: {@code
 * Optional<GameDayService>} is present then, empty otherwise. Declares the {@code
 * Multibinder<ExtraDrillEvents>} (empty by default) for call-quality sources in the replica.
 */
public final class GameDayModule extends AbstractModule {
  private static final String CONFIGURED = "configured";
  private static final int TOXIPROXY_DEFAULT_PORT = 8474;

  private final ControlPlaneConfig config;

  public GameDayModule(ControlPlaneConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    Multibinder.newSetBinder(binder(), ExtraDrillEvents.class);
    // The packet-filter paths the file names (tests may set their own with setBinding).
    OptionalBinder.newOptionalBinder(binder(), PacketFilterPaths.class).setDefault().toInstance(configuredPaths());
    OptionalBinder<GameDayService> service = OptionalBinder.newOptionalBinder(binder(), GameDayService.class);
    if (config.chaos() != null) {
      service.setBinding().to(Key.get(GameDayService.class, Names.named(CONFIGURED)));
    }
  }

  private PacketFilterPaths configuredPaths() {
    PacketFilterPaths paths = new PacketFilterPaths();
    if (config.chaos() != null) {
      for (ControlPlaneConfig.PacketFilterPathConfig p : config.chaos().packetFilters()) {
        // The namespace is looked up when a drill first uses it: the lab may make it later.
        paths.register(new PacketFilterPath(p.path(), p.protocol(), p.port(), new NamespacePacketFilter(p.namespace())));
      }
    }
    return paths;
  }

  @Provides
  @Singleton
  @Named(CONFIGURED)
  GameDayService gameDays(Replica replica, org.apache.curator.framework.CuratorFramework client, HealthView view,
      Set<ExtraDrillEvents> extras, PacketFilterPaths packetFilters, Set<TrafficActuator> actuators, Clock clock,
      com.codahale.metrics.MetricRegistry metrics) {
    List<DrillCatalog.DrillFile> seeds = ControlPlaneConfigLoader.drillFiles(config.replicaId() + " config", config);
    URI api = URI.create(config.chaos().toxiproxy());
    ToxiproxyClient toxiproxy = new ToxiproxyClient(api.getHost(), api.getPort() == -1 ? TOXIPROXY_DEFAULT_PORT : api.getPort());
    // Control-plane steps fault this very process: its pid, a real signal, and a handover in ZooKeeper.
    LeaderFaults leaderFaults = new LeaderFaults(config.replicaId(), ProcessHandle.current().pid(),
        new dev.dialtone.chaos.store.ZooKeeperHandovers(client, new dev.dialtone.chaos.zookeeper.DrillZnodes(config.deployment())),
        LeaderFaults.Commands.SYSTEM);
    ControlPlaneDrillWorld world =
        new ControlPlaneDrillWorld(WorldFrames.of(view::snapshot, replica.store()), extras, clock, leaderFaults);
    GameDayService service = new GameDayService(new GameDayService.Parts(
        config, seeds, client, toxiproxy, replica.leadership(), replica.store(), world, clock, packetFilters,
        actuators.stream().filter(CallCounter.class::isInstance).map(CallCounter.class::cast).toList()));
    // Every outcome's series exists from the start at 0, so increase() sees the first failure too.
    for (var outcome : java.util.List.of(dev.dialtone.chaos.run.DrillState.PASSED, dev.dialtone.chaos.run.DrillState.FAILED,
        dev.dialtone.chaos.run.DrillState.ABORTED, dev.dialtone.chaos.run.DrillState.SKIPPED)) {
      metrics.counter(drillsCounter(outcome));
    }
    service.onEnded(r -> metrics.counter(drillsCounter(r.state())).inc());
    replica.addLeadershipListener(service);
    replica.addPlanListener(world);
    return service;
  }

  private static String drillsCounter(dev.dialtone.chaos.run.DrillState outcome) {
    return dev.dialtone.controlplane.metrics.ReplicaMetrics.DRILLS.name(outcome.name().toLowerCase(java.util.Locale.ROOT));
  }
}
