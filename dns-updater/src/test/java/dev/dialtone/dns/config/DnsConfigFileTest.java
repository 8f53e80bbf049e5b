package dev.dialtone.dns.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.config.Backoff;
import dev.dialtone.config.ConfigException;
import dev.dialtone.config.Problem;
import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The dns section of a replica's file, read as the break-glass CLI reads it. */
class DnsConfigFileTest {
  @TempDir Path dir;
  private Path key;

  @BeforeEach
  void tsigKey() throws Exception {
    key = Files.writeString(dir.resolve("tsig.key"),
        "key \"dialtone\" {\n\talgorithm hmac-sha256;\n\tsecret \"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=\";\n};\n");
  }

  private String full() {
    return """
        deployment: acme-voice
        replicaId: cp-1
        zookeeper: { connect: "zk1:2181" }
        regions:
          - id: us-west
            priority: 2
            edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com:5060" }
          - id: us-east
            priority: 1
            edge: { a: [203.0.113.10], aaaa: ["2001:db8::10"], sip: "sip:edge.us-east.example.com:5060" }
        dns:
          provider: { rfc2136: { server: "127.0.0.1:5353", zone: "example.com.", tsigKeyFile: "KEY", timeout: 500ms } }
          records:
            - { name: "voice.example.com.", type: A, ttl: 30s }
            - { name: "voice.example.com.", type: aaaa }
            - { name: "_sip._udp.voice.example.com.", type: SRV, ttl: 1m }
          fallback:
            - { id: maintenance, a: [192.0.2.250], sip: "sip:vm@pbx.example.com" }
          ownerTtl: 60s
          retry: { budget: 20s, initialBackoff: 100ms, maxBackoff: 5s }
        """.replace("KEY", key.toString());
  }

  @Test
  void mapsEveryField() {
    DnsConfigFile.Loaded loaded = DnsConfigFile.parse("cp.yaml", full(), Map.of());
    DnsConfig dns = loaded.dns();
    assertThat(dns.deployment()).isEqualTo("acme-voice");
    assertThat(dns.zone()).isEqualTo("example.com.");
    assertThat(dns.provider()).isEqualTo(new ProviderSettings.Rfc2136("127.0.0.1:5353", key, Duration.ofMillis(500)));
    assertThat(dns.records()).containsExactly(
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
    assertThat(loaded.zookeeperConnect()).isEqualTo("zk1:2181");
    assertThat(loaded.regions()).extracting(r -> r.regionId()).containsExactly("us-east", "us-west");
    assertThat(loaded.region("us-west").ipv4()).containsExactly("198.51.100.20");
    assertThatThrownBy(() -> loaded.region("mars")).hasMessageContaining("no region 'mars'").hasMessageContaining("us-east");
  }

  @Test
  void pinsTheDefaults() {
    DnsConfig dns = DnsConfigFile.parse("cp.yaml", """
        deployment: d
        regions: [ { id: a, priority: 1, edge: { a: [192.0.2.1] } } ]
        dns:
          provider: { route53: { hostedZoneId: Z123, zone: "example.com.", profile: prod } }
          records: [ { name: "voice.example.com.", type: A } ]
        """, Map.of()).dns();
    assertThat(dns.provider()).isEqualTo(new ProviderSettings.Route53("Z123", null, null, Duration.ofSeconds(1), "prod"));
    assertThat(dns.records().get(0).ttl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(dns.fallback()).isEmpty();
    assertThat(dns.ownerTtl()).isEqualTo(Duration.ofSeconds(30));
    assertThat(dns.retryBudget()).isEqualTo(Duration.ofSeconds(10));
    assertThat(dns.backoff()).isEqualTo(new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2)));
    assertThat(new ProviderSettings.Rfc2136("ns1.example.com", Path.of("k"), null).port()).isEqualTo(53);
    assertThat(new ProviderSettings.Rfc2136("ns1.example.com", Path.of("k"), null).timeout()).isEqualTo(Duration.ofSeconds(2));
  }

  private List<String> problems(String yaml) {
    try {
      DnsConfigFile.parse("cp.yaml", yaml, Map.of());
      return List.of();
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  /** One row per rule: a change to the full file, and the problem line it must cause. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      deployment id    | deployment: acme-voice              | deployment: acme voice                | cp.yaml:1: deployment: 'acme voice' is refused: must be lower-case letters
      unknown provider | '{ rfc2136: {'                      | '{ dnsimple: {'                        | cp.yaml:12: dns.provider: unknown kind 'dnsimple' (known: rfc2136, route53, inmemory)
      bad port         | 127.0.0.1:5353                      | 127.0.0.1:99999                        | cp.yaml:12: dns.provider.server: '127.0.0.1:99999' is refused: must be host:port
      no key file      | 'tsigKeyFile: "'                    | 'tsigKeyFile: "/nonexistent'           | cp.yaml:12: dns.provider.tsigKeyFile: cannot read /nonexistent
      not a key        | 'timeout: 500ms'                    | 'timeout: 0'                           | cp.yaml:12: dns.provider.timeout: '0s' is refused: must be a positive duration
      bare ttl         | 'type: A, ttl: 30s'                 | 'type: A, ttl: 30'                     | cp.yaml:14: dns.records[0].ttl: '30' has no unit
      fractional ttl   | 'type: A, ttl: 30s'                 | 'type: A, ttl: 1500ms'                 | cp.yaml:14: dns.records[0].ttl: '1500ms' is refused: a DNS TTL is whole seconds
      mx record        | 'type: A,'                          | 'type: MX,'                            | cp.yaml:14: dns.records[0].type: must be one of a, aaaa, cname, srv, txt (was 'MX')
      txt record       | 'type: A,'                          | 'type: TXT,'                           | cp.yaml:14: dns.records[0].type: TXT is reserved for Dialtone's ownership records
      outside zone     | '{ name: "voice.example.com.", type: A' | '{ name: "voice.example.org.", type: A' | cp.yaml:14: dns.records[0].name: voice.example.org. is outside zone example.com.
      listed twice     | 'type: aaaa'                        | 'type: A'                              | cp.yaml:15: dns.records[1]: voice.example.com. A is listed twice
      bad fallback ip  | 192.0.2.250                         | 192.0.2.999                            | cp.yaml:18: dns.fallback[0].a[0]: '192.0.2.999' is refused: must be an IPv4 address
      backoff order    | 'initialBackoff: 100ms'             | 'initialBackoff: 10s'                  | cp.yaml:20: dns.retry.initialBackoff: must not exceed maxBackoff (5s), was 10s
      edge ipv6 in a   | '[198.51.100.20]'                   | '["2001:db8::20"]'                     | cp.yaml:7: regions[0].edge.a[0]: '2001:db8::20' is refused: must be an IPv4 address
      edge host in a   | '[198.51.100.20]'                   | '[edge.example.com]'                   | cp.yaml:7: regions[0].edge.a[0]: 'edge.example.com' is refused: must be an IPv4 address
      edge http sip    | '"sip:edge.us-west.example.com:5060"' | '"http://edge.us-west.example.com"'  | cp.yaml:7: regions[0].edge.sip: 'http://edge.us-west.example.com' is refused: must be a sip: or sips: URI
      no dns section   | 'dns:'                              | 'dnz:'                                 | cp.yaml:1: dns: is required: this file configures no DNS
      """)
  void namesLineAndFieldOfEachRule(String rule, String from, String to, String expected) {
    String yaml = full().replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to));
    assertThat(yaml).as("the row must change the file").isNotEqualTo(full());
    assertThat(problems(yaml)).as(rule).anySatisfy(p -> assertThat(p).startsWith(expected));
  }

  @Test
  void aRoute53WaitMustFitInsideTheRetryBudget() {
    String yaml = """
        deployment: d
        regions: [ { id: a, priority: 1, edge: { a: [192.0.2.1] } } ]
        dns:
          provider: { route53: { hostedZoneId: Z123, zone: "example.com.", syncTimeout: 60s } }
          records: [ { name: "voice.example.com.", type: A } ]
          retry: { budget: 10s }
        """;
    assertThat(problems(yaml)).singleElement().asString()
        .contains("dns.provider.route53.syncTimeout: must fit inside dns.retry.budget (10s), was 1m");
    assertThat(problems(yaml.replace("syncTimeout: 60s", "syncTimeout: 8s"))).isEmpty();
  }

  @Test
  void refusesAFileThatIsNotATsigKey() throws Exception {
    Files.writeString(key, "hunter2\n");
    assertThat(problems(full())).singleElement().asString()
        .startsWith("cp.yaml:12: dns.provider.tsigKeyFile: " + key + " is not a TSIG key file");
  }

  private static String route53(String hostedZoneId) {
    return """
        deployment: d
        regions: [ { id: a, priority: 1, edge: { a: [192.0.2.1] } } ]
        dns:
          provider: { route53: { hostedZoneId: "%s", zone: "example.com.", endpoint: "http://127.0.0.1:5000" } }
          records: [ { name: "voice.example.com.", type: A } ]
        """.formatted(hostedZoneId);
  }

  @Test
  void takesAHostedZoneIdAsTheApiIssuedItAndRefusesNamesAndPaths() {
    // Route 53's own ids start with Z; moto (the local stand-in behind an endpoint override) issues others.
    for (String id : List.of("Z0123456789ABC", "Z05236742WSKLXBNBPH7C", "NLH3TZRR30WZ19SVE986AO")) {
      assertThat(problems(route53(id))).as(id).isEmpty();
      assertThat(DnsConfigFile.parse("cp.yaml", route53(id), Map.of()).dns().provider())
          .isEqualTo(new ProviderSettings.Route53(id, URI.create("http://127.0.0.1:5000"), null, null));
    }
    for (String id : List.of("/hostedzone/Z0123456789ABC", "example.com.", "z0123456789abc", "Z" + "0".repeat(32))) {
      assertThat(problems(route53(id))).as(id).singleElement().asString()
          .startsWith("cp.yaml:4: dns.provider.hostedZoneId: must be a hosted zone id (up to 32 upper-case letters and digits");
    }
  }

  @Test
  void namesTheFileWhenItCannotBeRead() {
    assertThatThrownBy(() -> DnsConfigFile.load(Path.of("/nonexistent/cp.yaml")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("/nonexistent/cp.yaml:1: cannot read the file");
  }
}
