package dev.dialtone.dns.provider;

import dev.dialtone.actuation.Sleeper;
import dev.dialtone.dns.config.DnsConfig;
import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.inmemory.InMemoryDnsProvider;
import dev.dialtone.dns.provider.rfc2136.Rfc2136Provider;
import dev.dialtone.dns.provider.rfc2136.TsigKey;
import dev.dialtone.dns.provider.route53.Route53Provider;
import dev.dialtone.dns.provider.route53.SdkRoute53Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.random.RandomGenerator;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.Route53ClientBuilder;

/** Builds the provider a configuration names. */
public final class DnsProviders {
  /** Attempts per Route 53 call when throttled, before the actuator's own retry takes over. */
  static final int ROUTE53_THROTTLED_ATTEMPTS = 5;

  private DnsProviders() {}

  /** The provider {@code config} names, ready to use. */
  public static DnsProvider create(DnsConfig config, Clock clock, Sleeper sleeper, RandomGenerator random) {
    return switch (config.provider()) {
      case ProviderSettings.Rfc2136 s -> {
        try {
          yield new Rfc2136Provider(
              new InetSocketAddress(s.host(), s.port()), config.zone(), TsigKey.read(s.tsigKeyFile()), s.timeout());
        } catch (IOException e) {
          throw new UncheckedIOException("dns.provider.rfc2136.tsigKeyFile: cannot read " + s.tsigKeyFile(), e);
        }
      }
      case ProviderSettings.Route53 s -> {
        // Route 53's API lives in us-east-1 (the aws-global partition endpoint); see the README.
        Route53ClientBuilder builder =
            Route53Client.builder()
                .region(Region.AWS_GLOBAL)
                .credentialsProvider(s.profile() == null ? DefaultCredentialsProvider.builder().build()
                    : ProfileCredentialsProvider.create(s.profile()))
                .httpClient(UrlConnectionHttpClient.create())
                // Throttling is retried by the provider with our own backoff and bound.
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (s.endpoint() != null) {
          builder.endpointOverride(s.endpoint());
        }
        yield new Route53Provider(
            new SdkRoute53Api(builder.build()), s.hostedZoneId(),
            s.syncTimeout() == null ? config.retryBudget() : s.syncTimeout(), s.pollInterval(),
            config.backoff(), ROUTE53_THROTTLED_ATTEMPTS, clock, sleeper, random);
      }
      case ProviderSettings.InMemory s -> new InMemoryDnsProvider();
    };
  }
}
