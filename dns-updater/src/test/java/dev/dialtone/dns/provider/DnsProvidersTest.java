package dev.dialtone.dns.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.dns.Fixtures;
import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.provider.inmemory.InMemoryDnsProvider;
import dev.dialtone.dns.provider.rfc2136.Rfc2136Provider;
import dev.dialtone.dns.provider.route53.Route53Provider;
import dev.dialtone.dns.retry.RecordingSleeper;
import dev.dialtone.testkit.time.FakeClock;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsProvidersTest {
  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final RecordingSleeper sleeper = new RecordingSleeper(clock);

  private DnsProvider create(ProviderSettings settings) {
    return DnsProviders.create(Fixtures.config("acme", settings, "example.com.", "example.com."), clock, sleeper, new SplittableRandom());
  }

  @Test
  void buildsTheProviderTheConfigurationNames() throws Exception {
    Path key = dir.resolve("tsig.key");
    Files.writeString(key, "key \"k\" { algorithm hmac-sha256; secret \"c2VjcmV0\"; };");
    try (DnsProvider rfc2136 = create(new ProviderSettings.Rfc2136("127.0.0.1:5353", key, null));
        DnsProvider route53 = create(new ProviderSettings.Route53("Z1", URI.create("http://127.0.0.1:1"), null, null));
        DnsProvider inmemory = create(new ProviderSettings.InMemory())) {
      assertThat(rfc2136).isInstanceOf(Rfc2136Provider.class);
      assertThat(rfc2136.toString()).contains("127.0.0.1:5353").contains("secret=***").doesNotContain("c2VjcmV0");
      assertThat(route53).isInstanceOf(Route53Provider.class);
      assertThat(inmemory).isInstanceOf(InMemoryDnsProvider.class);
      assertThat(rfc2136.name() + " " + route53.name() + " " + inmemory.name()).isEqualTo("rfc2136 route53 inmemory");
    }
  }

  @Test
  void aMissingKeyFileNamesTheField() {
    assertThatThrownBy(() -> create(new ProviderSettings.Rfc2136("127.0.0.1:5353", dir.resolve("missing.key"), null)))
        .hasMessageContaining("dns.provider.rfc2136.tsigKeyFile: cannot read");
  }
}
