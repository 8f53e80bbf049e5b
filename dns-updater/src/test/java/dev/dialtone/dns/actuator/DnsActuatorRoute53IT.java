package dev.dialtone.dns.actuator;

import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.route53.MotoRoute53;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.moto.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.route53.Route53Client;

/** The shift scenarios on moto's server, a LOCAL STAND-IN for Route 53 (endpoint override). */
class DnsActuatorRoute53IT extends DnsActuatorContract {
  @RegisterExtension static final PeerExtension<MotoServer> moto = PeerExtension.of(MotoServer::new);

  private static Route53Client client;
  private static String zoneId;

  @BeforeAll
  static void createZone() {
    client = MotoRoute53.client(moto.peer());
    zoneId = client.createHostedZone(r -> r.name("example.org.").callerReference("dialtone-actuator")).hostedZone().id();
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
  protected ProviderSettings settings() {
    return new ProviderSettings.Route53(zoneId, moto.peer().endpoint(), null, null);
  }

  @Override
  protected String zone() {
    return "example.org.";
  }
}
