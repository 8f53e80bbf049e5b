package dev.dialtone.dns.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordType;
import dev.dialtone.dns.retry.Backoff;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DnsConfigFileTest {
  @TempDir Path dir;

  private static final String FULL =
      """
      deployment: acme-voice
      regions:
        - id: us-west
          priority: 2
          edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com:5060" }
        - id: us-east
          priority: 1
          edge: { a: [203.0.113.10], aaaa: ["2001:db8::10"], sip: "sip:edge.us-east.example.com:5060" }
      dns:
        provider: { rfc2136: { server: "127.0.0.1:5353", zone: "example.com.", tsigKeyFile: "/etc/dialtone/tsig.key", timeout: 500ms } }
        records:
          - { name: "voice.example.com.", type: A, ttl: 30 }
          - { name: "voice.example.com.", type: aaaa }
          - { name: "_sip._udp.voice.example.com.", type: SRV, ttl: 1m }
        fallback:
          - { id: maintenance, a: [192.0.2.250], sip: "sip:vm@pbx.example.com" }
        ownerTtl: 60s
        retry: { budget: 20s, initialBackoff: 100ms, maxBackoff: 5s }
      """;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("dialtone.yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void mapsEveryField() throws Exception {
    DnsConfigFile.Loaded loaded = DnsConfigFile.load(write(FULL));
    DnsConfig dns = loaded.dns();
    assertThat(dns.deployment()).isEqualTo("acme-voice");
    assertThat(dns.zone()).isEqualTo("example.com.");
    assertThat(dns.provider())
        .isEqualTo(new ProviderSettings.Rfc2136("127.0.0.1:5353", Path.of("/etc/dialtone/tsig.key"), Duration.ofMillis(500)));
    assertThat(dns.records())
        .containsExactly(
            new ManagedRecord("voice.example.com.", RecordType.A, Duration.ofSeconds(30)),
            new ManagedRecord("voice.example.com.", RecordType.AAAA, Duration.ofSeconds(30)),
            new ManagedRecord("_sip._udp.voice.example.com.", RecordType.SRV, Duration.ofMinutes(1)));
    assertThat(dns.fallback()).singleElement().satisfies(f -> {
      assertThat(f.regionId()).isEqualTo("maintenance");
      assertThat(f.sipUri()).isEqualTo(URI.create("sip:vm@pbx.example.com"));
    });
    assertThat(dns.ownerTtl()).isEqualTo(Duration.ofSeconds(60));
    assertThat(dns.retryBudget()).isEqualTo(Duration.ofSeconds(20));
    assertThat(dns.backoff()).isEqualTo(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)));
    assertThat(loaded.regions()).extracting(r -> r.regionId()).containsExactly("us-east", "us-west");
    assertThat(loaded.region("us-west").ipv4()).containsExactly("198.51.100.20");
    assertThatThrownBy(() -> loaded.region("mars")).hasMessageContaining("no region 'mars'").hasMessageContaining("us-east");
  }

  @Test
  void pinsTheDefaults() throws Exception {
    DnsConfig dns =
        DnsConfigFile.load(write(
            """
            deployment: d
            dns:
              provider: { route53: { hostedZoneId: Z123, zone: "example.com." } }
              records: [ { name: "voice.example.com.", type: A } ]
            """)).dns();
    assertThat(dns.provider()).isEqualTo(new ProviderSettings.Route53("Z123", null, Duration.ofSeconds(60), Duration.ofSeconds(1)));
    assertThat(dns.records().get(0).ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(dns.fallback()).isEmpty();
    assertThat(dns.ownerTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(dns.retryBudget()).isEqualTo(Duration.ofSeconds(10));
    assertThat(dns.backoff()).isEqualTo(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2)));
    assertThat(new ProviderSettings.Rfc2136("ns1.example.com", Path.of("k"), null).port()).isEqualTo(53);
    assertThat(new ProviderSettings.Rfc2136("ns1.example.com", Path.of("k"), null).timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "deployment: acme voice|deployment: deployment id must match",
        "dns:|dns: section missing",
        "provider: { dnsimple: { zone: x } }|dns.provider: unknown provider 'dnsimple'",
        "provider: {}|dns.provider: exactly one of rfc2136, route53, inmemory",
        "server: \"127.0.0.1:99999\"|dns.provider.rfc2136.server: bad port",
        "tsigKeyFile: \"/k\"|dns.provider.rfc2136.tsigKeyFile: required",
        "zone: \"example.com.\"|dns.provider.rfc2136.zone: required",
        "timeout: soon|dns.provider.rfc2136.timeout: not a duration",
        "timeout: 0s|dns.provider.rfc2136.timeout: must be a positive duration",
        "records: []|dns.records: at least one record is required",
        "type: MX|dns.records[0]: No enum constant",
        "type: TXT|dns.records[0]: voice.example.com.: TXT is reserved for ownership records",
        "name: voice.example.org.|dns.records[0].name: voice.example.org. is outside zone example.com.",
        "name: voice.example.com|dns.records[0]: DNS name must be absolute",
        "twice|dns.records[1]: voice.example.com. A is listed twice",
        "cname|dns.records: voice.example.com. has CNAME and",
        "fallback: [ { id: m, sip: \"sip:vm@pbx.example.com\" } ]|dns.fallback: refusing an empty answer: voice.example.com.",
        "budget: -1s|dns.retry.budget: not a duration",
        "initialBackoff: 10s|dns.retry: backoff needs 0 < initial <= max",
      })
  void namesTheFileAndTheFieldOfEachError(String change, String expected) throws IOException {
    Path file = write(broken(change));
    assertThatThrownBy(() -> DnsConfigFile.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file.toString() + ": ")
        .hasMessageContaining(expected);
  }

  // A valid file with one thing broken, keyed by the field it breaks.
  private static String broken(String change) {
    String deployment = change.startsWith("deployment:") ? change : "deployment: acme";
    if (change.equals("dns:")) {
      return deployment + "\n";
    }
    String server = change.startsWith("server:") ? change : "server: \"127.0.0.1:5353\"";
    String key = change.startsWith("tsigKeyFile:") ? "" : ", tsigKeyFile: \"/k\"";
    String zone = change.startsWith("zone:") ? "" : ", zone: \"example.com.\"";
    String timeout = change.startsWith("timeout:") ? ", " + change : "";
    String provider =
        change.startsWith("provider:") ? change : "provider: { rfc2136: { " + server + key + zone + timeout + " } }";
    String name = change.startsWith("name:") ? change : "name: voice.example.com.";
    String type = change.startsWith("type:") ? change : "type: A";
    String records = "records: [ { " + name + ", " + type + " } ]";
    if (change.equals("records: []")) {
      records = change;
    } else if (change.equals("twice")) {
      records = "records: [ { name: voice.example.com., type: A }, { name: voice.example.com., type: A } ]";
    } else if (change.equals("cname")) {
      records = "records: [ { name: voice.example.com., type: A }, { name: voice.example.com., type: CNAME } ]";
    }
    String fallback = change.startsWith("fallback:") ? "\n  " + change : "";
    String retry =
        change.startsWith("budget:") || change.startsWith("initialBackoff:") ? "\n  retry: { " + change + " }" : "";
    return deployment + "\ndns:\n  " + provider + "\n  " + records + fallback + retry + "\n";
  }
}
