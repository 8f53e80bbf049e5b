package dev.dialtone.dns.provider.route53;

import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.DnsProviderContract;
import dev.dialtone.dns.retry.Backoff;
import dev.dialtone.dns.retry.Sleeper;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.moto.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * The provider contract against moto's server, a LOCAL STAND-IN for Route 53 reached through an
 * endpoint override: it enforces the exact-value DELETE and the CREATE-if-absent that the
 * compare-and-set relies on, but not Route 53's propagation delay, throttling or IAM.
 */
class Route53ProviderIT extends DnsProviderContract {
  @org.junit.jupiter.api.extension.RegisterExtension static final PeerExtension<MotoServer> moto = PeerExtension.of(MotoServer::new);

  private static Route53Client client;
  private static String zoneId;

  @BeforeAll
  static void createZone() {
    client = motoClient(moto.peer());
    zoneId = client.createHostedZone(r -> r.name("example.org.").callerReference("dialtone-contract")).hostedZone().id();
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  /** An SDK client aimed at moto (fake credentials, us-east-1 as Route 53's control plane). */
  public static Route53Client motoClient(MotoServer server) {
    return Route53Client.builder()
        .endpointOverride(server.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  @Override
  protected DnsProvider provider() {
    return new Route53Provider(
        new SdkRoute53Api(client), zoneId, Duration.ofSeconds(10), Duration.ofMillis(100),
        new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1)), 5, Clock.systemUTC(), Sleeper.system(), new SplittableRandom());
  }

  @Override
  protected String zone() {
    return "example.org.";
  }
}
