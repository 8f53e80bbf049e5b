package dev.dialtone.controlplane.actuation;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import dev.dialtone.actuation.RegionConfig;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.zookeeper.ZooKeeperEpochGuard;
import dev.dialtone.carrier.CarrierActuators;
import dev.dialtone.carrier.CarrierConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.StateJson;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import dev.dialtone.dns.actuator.DnsActuator;
import dev.dialtone.dns.config.DnsConfig;
import dev.dialtone.dns.provider.DnsProviders;
import com.google.inject.Provider;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;

/**
 * Binds the actuators a replica's file configures into the {@code Set<TrafficActuator>} plans
 * drive: DNS from {@code dns:} (RFC 2136 or Route 53, fenced by the ownership record's
 * compare-and-set on the leader's epoch) and one actuator per {@code carrier:} entry (Kamailio,
 * Twilio), with the {@code fallback:} chain for outage mode. Nothing here is per deployment: the
 * file says it all.
 */
public final class ActuatorModule extends AbstractModule {
  private final ControlPlaneConfig config;

  public ActuatorModule(ControlPlaneConfig config) {
    this.config = config;
  }

  @Override
  protected void configure() {
    Multibinder<TrafficActuator> actuators = Multibinder.newSetBinder(binder(), TrafficActuator.class);
    if (config.dns() != null) {
      actuators.addBinding().toProvider(DnsActuatorProvider.class).asEagerSingleton();
    }
    for (CarrierConfig carrier : config.carrier()) {
      actuators.addBinding().toProvider(new CarrierActuatorProvider(carrier)).asEagerSingleton();
    }
  }

  /**
   * One configured carrier's actuator, guarded by a ZooKeeper read of the leader's epoch right
   * before each step (carriers have no conditional write of their own).
   */
  static final class CarrierActuatorProvider implements Provider<TrafficActuator> {
    private final CarrierConfig carrier;
    @Inject private ControlPlaneConfig config;
    @Inject private CuratorFramework client;
    @Inject private Clock clock;

    CarrierActuatorProvider(CarrierConfig carrier) {
      this.carrier = carrier;
    }

    @Override
    public TrafficActuator get() {
      return CarrierActuators.create(carrier, config.fallback().plan(),
          new ZooKeeperEpochGuard(client, new DeploymentPaths(config.deployment()).epoch()), clock);
    }
  }

  /** The DNS actuator of the {@code dns:} section. */
  static final class DnsActuatorProvider implements Provider<TrafficActuator> {
    private final ControlPlaneConfig config;
    private final CuratorFramework client;
    private final Clock clock;

    @Inject
    DnsActuatorProvider(ControlPlaneConfig config, CuratorFramework client, Clock clock) {
      this.config = config;
      this.client = client;
      this.clock = clock;
    }

    @Override
    public TrafficActuator get() {
      DnsConfig dns = config.dnsConfig();
      SplittableRandom random = new SplittableRandom();
      return new DnsActuator(DnsProviders.create(dns, clock, Sleeper.system(), random), dns,
          new RegisteredEdges(client, config, clock), clock, Sleeper.system(), random);
    }
  }

  /**
   * Every region's edge as ZooKeeper holds it (regions may be registered at run time), the
   * configured ones first; read at most once a second, the last answer kept while ZooKeeper is away.
   */
  static final class RegisteredEdges implements Supplier<List<RegionEdge>> {
    private final ZooKeeperStateStore store;
    private final Clock clock;
    private final List<RegionEdge> configured;
    private List<RegionEdge> cached;
    private Instant readAt = Instant.MIN;

    RegisteredEdges(CuratorFramework client, ControlPlaneConfig config, Clock clock) {
      this.store = new ZooKeeperStateStore(client, new DeploymentPaths(config.deployment()), StateJson.mapper(),
          config.historyCap());
      this.clock = clock;
      this.configured = config.regions().stream().sorted(Comparator.comparing(RegionConfig::priority))
          .map(RegionConfig::toEdge).toList();
      this.cached = configured;
    }

    @Override
    public synchronized List<RegionEdge> get() {
      Instant now = clock.instant();
      if (Duration.between(readAt, now).compareTo(Duration.ofSeconds(1)) >= 0) {
        readAt = now;
        try {
          Map<String, RegionEdge> all = new LinkedHashMap<>();
          configured.forEach(e -> all.put(e.regionId(), e));
          store.regions().values().forEach(spec -> all.put(spec.id(), spec.edge()));
          cached = List.copyOf(new ArrayList<>(all.values()));
        } catch (StateException e) {
          // keep the last answer: naming what DNS holds must not fail while ZooKeeper is away
        }
      }
      return cached;
    }
  }
}
