package dev.dialtone.lab;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.kamailio.KamailioConfig;
import dev.dialtone.carrier.kamailio.KamailioDispatcherActuator;
import dev.dialtone.chaos.fault.PacketFilterPaths;
import dev.dialtone.controlplane.gameday.ExtraDrillEvents;
import dev.dialtone.controlplane.leadership.ZooKeeperEpochGuard;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.dns.actuator.DnsActuator;
import dev.dialtone.dns.config.DnsConfigFile;
import dev.dialtone.dns.provider.DnsProviders;
import java.time.Clock;
import java.util.SplittableRandom;
import org.apache.curator.framework.CuratorFramework;

/**
 * Binds a replica's actuators: carrier routing first (Kamailio's dispatcher, fenced by the epoch in
 * ZooKeeper), then DNS (RFC 2136 to BIND, fenced by the owner record), as a deployment's Guice
 * module would; the lab's failed calls as drill events; and its SIP edges' UDP paths for the
 * packet-filter fault lever.
 */
final class LabActuators extends AbstractModule {
  private final String deployment;
  private final KamailioConfig carrier;
  private final FallbackPlan fallback;
  private final DnsConfigFile.Loaded dns;
  private final LabCallEvents callEvents;
  private final PacketFilterPaths packetFilters;

  LabActuators(String deployment, KamailioConfig carrier, FallbackPlan fallback, DnsConfigFile.Loaded dns, LabCallEvents callEvents,
      PacketFilterPaths packetFilters) {
    this.fallback = fallback;
    this.packetFilters = packetFilters;
    this.deployment = deployment;
    this.carrier = carrier;
    this.dns = dns;
    this.callEvents = callEvents;
  }

  @Override
  protected void configure() {
    Multibinder.newSetBinder(binder(), ExtraDrillEvents.class).addBinding().toInstance(callEvents);
    OptionalBinder.newOptionalBinder(binder(), PacketFilterPaths.class).setBinding().toInstance(packetFilters);
  }

  @ProvidesIntoSet
  TrafficActuator carrier(CuratorFramework client) {
    return new KamailioDispatcherActuator(carrier, fallback, new ZooKeeperEpochGuard(client, new DeploymentPaths(deployment).epoch()),
        Clock.systemUTC());
  }

  @ProvidesIntoSet
  TrafficActuator dns() {
    Clock clock = Clock.systemUTC();
    SplittableRandom random = new SplittableRandom();
    return new DnsActuator(DnsProviders.create(dns.dns(), clock, Sleeper.system(), random), dns.dns(), dns.regions(),
        clock, Sleeper.system(), random);
  }
}
