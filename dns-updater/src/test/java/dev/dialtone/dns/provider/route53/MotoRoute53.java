package dev.dialtone.dns.provider.route53;

import dev.dialtone.actuation.Sleeper;
import dev.dialtone.config.Backoff;
import dev.dialtone.peers.moto.MotoServer;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;

/**
 * Route 53 clients aimed at moto's server: a LOCAL STAND-IN for Route 53 through an endpoint
 * override. It enforces the exact-value DELETE the compare-and-set relies on, but not Route 53's
 * propagation delay, throttling or IAM; a CREATE over an existing set with another value is not
 * refused by moto (the provider checks claims by a read as well).
 */
public final class MotoRoute53 implements AutoCloseable {
  private final Route53Client client;
  private final String zoneId;

  private MotoRoute53(Route53Client client, String zoneId) {
    this.client = client;
    this.zoneId = zoneId;
  }

  /** Creates the hosted zone {@code zone} in moto. */
  public static MotoRoute53 createZone(MotoServer server, String zone) {
    Route53Client client = client(server);
    String id = client.createHostedZone(r -> r.name(zone).callerReference("dialtone-" + zone)).hostedZone().id();
    return new MotoRoute53(client, id);
  }

  public String zoneId() {
    return zoneId;
  }

  /** A provider for this zone. */
  public Route53Provider provider() {
    return provider(client, zoneId);
  }

  @Override
  public void close() {
    client.close();
  }

  /** An SDK client for moto, with fake credentials. */
  public static Route53Client client(MotoServer server) {
    return Route53Client.builder()
        .endpointOverride(server.endpoint())
        .region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  /** A provider for {@code zoneId} over {@code client}, with a real clock and short bounds. */
  public static Route53Provider provider(Route53Client client, String zoneId) {
    return new Route53Provider(
        new SdkRoute53Api(client), zoneId, Duration.ofSeconds(10), Duration.ofMillis(100),
        new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1)), 5, Clock.systemUTC(), Sleeper.system(), new SplittableRandom());
  }
}
