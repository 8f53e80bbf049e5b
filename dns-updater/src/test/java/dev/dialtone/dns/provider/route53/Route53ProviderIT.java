package dev.dialtone.dns.provider.route53;

import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.DnsProviderContract;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider contract against moto's server, a LOCAL STAND-IN for Route 53 (see {@link MotoRoute53}). */
class Route53ProviderIT extends DnsProviderContract {
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
  protected String zone() {
    return "example.org.";
  }
}
