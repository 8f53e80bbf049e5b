package dev.dialtone.dns.actuator;

import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.route53.MotoRoute53;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shift scenarios on moto's server, a LOCAL STAND-IN for Route 53 (endpoint override). */
class DnsActuatorRoute53IT extends DnsActuatorContract {
  @RegisterExtension static final PeerExtension<MotoServer> moto = PeerExtension.of(MotoServer::new);

  private static MotoRoute53 zone;

  @BeforeAll
  static void createZone() {
    zone = MotoRoute53.createZone(moto.peer(), "example.org.");
  }

  @AfterAll
  static void closeClient() {
    zone.close();
  }

  @Override
  protected DnsProvider provider() {
    return zone.provider();
  }

  @Override
  protected ProviderSettings settings() {
    return new ProviderSettings.Route53(zone.zoneId(), moto.peer().endpoint(), null, null);
  }

  @Override
  protected String zone() {
    return "example.org.";
  }
}
