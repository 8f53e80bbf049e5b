package dev.dialtone.dns.provider.route53;

import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.DnsProviderContract;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.route53.Route53Client;

/** The provider contract against moto's server, a LOCAL STAND-IN for Route 53 (see {@link MotoRoute53}). */
class Route53ProviderIT extends DnsProviderContract {
  @RegisterExtension static final PeerExtension<MotoServer> moto = PeerExtension.of(MotoServer::new);

  private static Route53Client client;
  private static String zoneId;

  @BeforeAll
  static void createZone() {
    client = MotoRoute53.client(moto.peer());
    zoneId = client.createHostedZone(r -> r.name("example.org.").callerReference("dialtone-contract")).hostedZone().id();
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  @Override
  protected DnsProvider provider() {
    return MotoRoute53.provider(client, zoneId);
  }

  @Override
  protected String zone() {
    return "example.org.";
  }
}
