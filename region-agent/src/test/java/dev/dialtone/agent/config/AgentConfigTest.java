package dev.dialtone.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.agent.probe.llm.LlmProbe;
import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Problem;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.security.pki.CertificateAuthority.Issued.PemFiles;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins the defaults, the full property mapping and each validation rule of the agent's file. */
class AgentConfigTest {
  private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test");
  private final ConfigLoader<AgentConfig> loader = AgentConfig.loader(ENV);

  private static final String MINIMAL = """
      deployment: acme-voice
      region: us-east
      controlPlane: { replicas: ["127.0.0.1:7001"], plaintext: true }
      probes:
        - name: openai
          llm: { baseUrl: "https://api.openai.com", apiKey: env:OPENAI_API_KEY }
      """;

  private static CertificateAuthority ca() {
    return CertificateAuthority.create("acme-voice", Instant.now(), Duration.ofDays(1), new SecureRandom());
  }

  private static PemFiles issue(CertificateAuthority ca, Path dir, String name) {
    return ca.issue(CertificateAuthority.LeafSpec.loopback(name,
        URI.create("spiffe://acme-voice/region/us-east/agent/" + name), Instant.now(), Duration.ofDays(1))).written(dir, name);
  }

  @Test
  void pinsTheDefaults() {
    AgentConfig c = loader.parse("agent.yaml", MINIMAL);
    assertThat(c.reportInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.readyWindow()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.warmUp()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.http().port()).isEqualTo(9464);
    assertThat(c.agentId()).isNull();
    assertThat(c.controlPlane().keepAliveTime()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.controlPlane().keepAliveTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.controlPlane().reconnectInitial()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.controlPlane().reconnectMax()).isEqualTo(Duration.ofSeconds(5));
    AgentConfig.ProbeConfig p = c.probes().get(0);
    assertThat(p.critical()).isTrue();
    assertThat(p.interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(p.timeout()).isEqualTo(Duration.ofMillis(800));
    assertThat(p.degradedAbove()).isEqualTo(Duration.ofMillis(500));
    assertThat(p.failAfter()).isEqualTo(2);
    assertThat(p.recoverAfter()).isEqualTo(3);
    assertThat(p.llm().mode()).isEqualTo(LlmProbe.Mode.MODELS);
    assertThat(p.llm().apiKey().reveal()).isEqualTo("sk-test");
    assertThat(c.vantage()).isEmpty();
  }

  @Test
  void mapsEveryPropertyOfTheExample(@TempDir Path dir) throws Exception {
    Path tls = Files.createDirectories(dir.resolve("tls"));
    CertificateAuthority ca = ca();
    issue(ca, tls, "us-east-a");
    ca.writeTrustBundle(tls.resolve("ca.crt"));
    AgentConfig c = AgentConfig.loader(Map.of("OPENAI_API_KEY", "sk-x", "PGPASSWORD", "pw"))
        .parse("agent.example.yaml", Files.readString(Path.of("agent.example.yaml")).replace("/etc/dialtone/", dir + "/"));
    assertThat(c.controlPlane().tls().certificate()).isEqualTo(dir + "/tls/us-east-a.crt");
    assertThat(c.controlPlane().tls().refresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.controlPlane().plaintext()).isFalse();
    assertThat(c.deployment()).isEqualTo("acme-voice");
    assertThat(c.region()).isEqualTo("us-east");
    assertThat(c.agentId()).isEqualTo("us-east-a");
    assertThat(c.http().port()).isEqualTo(9464);
    assertThat(c.controlPlane().replicas()).hasSize(3);
    assertThat(c.probes()).extracting(AgentConfig.ProbeConfig::name).containsExactly("openai", "db", "cache", "carrier");
    assertThat(c.probes().get(1).postgres().password().reveal()).isEqualTo("pw");
    assertThat(c.probes().get(1).postgres().replicationLagAbove()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.probes().get(2).redis().probeKey()).isEqualTo("dialtone:probe:us-east");
    assertThat(c.probes().get(3).sip().uri()).isEqualTo("sip:edge.us-east.example.com:5060;transport=udp");
    assertThat(c.vantage()).extracting(AgentConfig.Vantage::region).containsExactly("us-west");
  }

  private List<String> problems(String yaml) {
    return problemsOf(loader, yaml);
  }

  /** One row per rule: a change to the minimal file, and the problem line it must cause. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown key            | baseUrl:                       | baseUri:                                         | agent.yaml:6: probes[0].llm.baseUri: unknown key 'baseUri' in probes[0].llm (did you mean 'baseUrl'?)
      ftp llm url            | https://api.openai.com         | ftp://api.openai.com                             | agent.yaml:6: probes[0].llm.baseUrl: 'ftp://api.openai.com' is refused: must be an http:// or https:// URL with a host
      replica without port   | 127.0.0.1:7001                 | 127.0.0.1                                        | agent.yaml:3: controlPlane.replicas[0]: '127.0.0.1' is refused: must be host:port
      replica port range     | 127.0.0.1:7001                 | 127.0.0.1:99999                                  | agent.yaml:3: controlPlane.replicas[0]: '127.0.0.1:99999' is refused: must be host:port
      no replicas            | '["127.0.0.1:7001"]'           | '[]'                                             | agent.yaml:3: controlPlane.replicas: at least one control-plane replica (host:port) is required
      renamed region key     | region: us-east                | zone: us-east                                    | agent.yaml:2: zone: unknown key 'zone'
      bad region id          | region: us-east                | region: US_East                                  | agent.yaml:2: region: 'US_East' is refused: must be lower-case letters, digits and dashes
      literal secret         | env:OPENAI_API_KEY             | sk-live-abc                                      | agent.yaml:6: probes[0].llm.apiKey: must be file:/path/to/file or env:VARIABLE (never the secret itself); a literal value is refused (and not shown here)
      unclosed quote secret  | env:OPENAI_API_KEY             | '"sk-live-abc'                                   | agent.yaml:6: probes[0].llm: while scanning a quoted scalar, found unexpected end of stream (at line 6, column 55; the line is not quoted: it may hold a secret)
      redis uri password     | 'llm: { baseUrl: "https://api.openai.com", apiKey: env:OPENAI_API_KEY }' | 'redis: { uri: "rediss2://:sk-live-abc@cache:6379" }' | agent.yaml:6: probes[0].redis.uri: 'rediss2://***@cache:6379' is refused: must be redis://host:port or rediss://host:port
      unset variable         | env:OPENAI_API_KEY             | env:NOPE_KEY                                     | agent.yaml:6: probes[0].llm.apiKey: environment variable NOPE_KEY is not set
      missing secret file    | env:OPENAI_API_KEY             | file:/nonexistent/key                            | agent.yaml:6: probes[0].llm.apiKey: cannot read secret file /nonexistent/key (NoSuchFileException)
      no api key             | ', apiKey: env:OPENAI_API_KEY' | ''                                               | agent.yaml:6: probes[0].llm.apiKey: is required: apiKey: file:/path or env:NAME
      completion needs model | 'apiKey:'                      | 'mode: completion, apiKey:'                      | agent.yaml:6: probes[0].llm.model: is required with mode: completion
      bare duration          | 'deployment: acme-voice'       | 'deployment: acme-voice\\nreportInterval: 30'    | agent.yaml:2: reportInterval: '30' has no unit; write a whole number with a unit: 500ms, 30s, 5m, 1h (or ISO-8601 PT30S)
      zero duration          | 'deployment: acme-voice'       | 'deployment: acme-voice\\nreadyWindow: 0'        | agent.yaml:2: readyWindow: '0s' is refused: must be a positive duration (e.g. 500ms, 5s)
      timeout vs interval    | '- name: openai'               | '- name: openai\\n    interval: 1s\\n    timeout: 1s' | agent.yaml:7: probes[0].timeout: must be shorter than interval (1s), was 1s
      degraded vs timeout    | '- name: openai'               | '- name: openai\\n    degradedAbove: 900ms'      | agent.yaml:6: probes[0].degradedAbove: must be shorter than timeout (800ms), was 900ms
      failAfter at least 1   | '- name: openai'               | '- name: openai\\n    failAfter: 0'              | agent.yaml:6: probes[0].failAfter: must be greater than or equal to 1
      whole number           | '- name: openai'               | '- name: openai\\n    failAfter: two'            | agent.yaml:6: probes[0].failAfter: must be a whole number (was 'two')
      no transport chosen    | ', plaintext: true'            | ''                                               | agent.yaml:3: controlPlane: set tls: { certificate, key, trustBundle } (or plaintext: true, for the dev/lab profile only)
      backoff order          | 'plaintext: true'              | 'plaintext: true, reconnectInitial: 2s, reconnectMax: 1s' | agent.yaml:3: controlPlane.reconnectMax: must not be shorter than reconnectInitial (2s)
      duplicate key          | 'region: us-east'              | 'region: us-east\\nregion: us-west'              | agent.yaml:3: duplicate key
      two documents          | 'region: us-east'              | 'region: us-east\\n---\\nregion: us-west'        | agent.yaml:3: a second YAML document ('---') is not allowed: one file holds one configuration
      http port range        | 'region: us-east'              | 'region: us-east\\nhttp: { port: 70000 }'        | agent.yaml:3: http.port: must be less than or equal to 65535
      """)
  void refusesEachBrokenRuleWithOneLine(String rule, String from, String to, String expected) {
    String yaml = MINIMAL.replace(from, to.replace("\\n", "\n"));
    assertThat(yaml).as("the row must change the file").isNotEqualTo(MINIMAL);
    List<String> problems = problems(yaml);
    assertThat(problems).as(rule).anySatisfy(p -> assertThat(p).startsWith(expected));
    assertThat(String.join("\n", problems)).doesNotContain("sk-live-abc").doesNotContain("Cannot deserialize");
  }

  @Test
  void refusesProbeStructureMistakes() {
    assertThat(problems(MINIMAL + "  - name: openai\n    sip: { uri: \"sip:x\" }\n"))
        .contains("agent.yaml:7: probes[1].name: duplicate probe name 'openai'");
    assertThat(problems(MINIMAL + "  - name: both\n    sip: { uri: \"sip:x\" }\n    redis: { uri: \"redis://h\" }\n"))
        .contains("agent.yaml:7: probes[1]: set exactly one of llm, postgres, redis, sip (found 2)");
    assertThat(problems(MINIMAL + "  - name: db\n    postgres: { jdbcUrl: \"jdbc:mysql://h/db\", user: u }\n"))
        .contains("agent.yaml:8: probes[1].postgres.jdbcUrl: must be jdbc:postgresql://host[:port]/database");
    assertThat(problems(MINIMAL + "  - name: cache\n    redis: { uri: \"redis://user:pw@h:6379\" }\n"))
        .contains("agent.yaml:8: probes[1].redis.uri: must not contain credentials; use password: file:/path or env:NAME");
    assertThat(problems(MINIMAL + "  - name: edge\n    sip: { uri: \"http://edge:5060\" }\n"))
        .anySatisfy(p -> assertThat(p).startsWith("agent.yaml:8: probes[1].sip.uri: 'http://edge:5060' is refused: must be a sip:"));
    assertThat(problems(MINIMAL + "vantage: [ { region: us-west, uri: \"sip:edge;transport=sctp\" } ]\n"))
        .contains("agent.yaml:7: vantage[0].uri: unsupported transport 'sctp' in sip:edge;transport=sctp (udp or tcp)");
  }

  @Test
  void checksTheTlsFilesBeforeUsingThem(@TempDir Path dir) throws Exception {
    CertificateAuthority ca = ca();
    PemFiles a = issue(ca, dir, "a");
    PemFiles b = issue(ca, dir, "b");
    Path trust = ca.writeTrustBundle(dir.resolve("ca.crt"));
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not pem at all\n");
    String base = MINIMAL.replace(", plaintext: true", ", tls: { certificate: %s, key: %s, trustBundle: %s }");
    assertThat(problems(base.formatted(a.certificateChain(), a.privateKey(), trust))).isEmpty();
    assertThat(problems(base.formatted(a.certificateChain(), b.privateKey(), trust)))
        .singleElement().asString().startsWith("agent.yaml:3: controlPlane.tls.key: ").contains("does not match the certificate");
    assertThat(problems(base.formatted(a.privateKey(), a.certificateChain(), trust)))
        .anySatisfy(p -> assertThat(p).contains("controlPlane.tls.certificate: ").contains("certificate and key swapped?"));
    assertThat(problems(base.formatted(a.certificateChain(), a.privateKey(), a.privateKey())))
        .singleElement().asString().contains("controlPlane.tls.trustBundle: ").contains("a trust bundle is CA certificates only");
    assertThat(problems(base.formatted(garbage, a.privateKey(), trust)))
        .anySatisfy(p -> assertThat(p).contains("controlPlane.tls.certificate: ").contains("holds no PEM certificate"));
    assertThat(problems(base.formatted("/nonexistent/a.crt", a.privateKey(), trust)))
        .contains("agent.yaml:3: controlPlane.tls.certificate: cannot read /nonexistent/a.crt (no such file)");
  }

  @Test
  void readsSecretsFromFiles(@TempDir Path dir) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "sk-from-file\n");
    AgentConfig c = loader.parse("agent.yaml", MINIMAL.replace("env:OPENAI_API_KEY", "file:" + key));
    assertThat(c.probes().get(0).llm().apiKey().reveal()).isEqualTo("sk-from-file");
  }

  @Test
  void refusesAnApiKeyNoHttpHeaderCanCarryWithoutShowingIt(@TempDir Path dir) throws Exception {
    // A key copied from a page that shortened it ("sk-…"), or with a line break inside.
    Path key = Files.writeString(dir.resolve("key"), "sk-\u20260123456789\n");
    var withEnv = AgentConfig.loader(Map.of("OPENAI_API_KEY", "sk-0123\r\n456789"));
    for (var problems : List.of(problems(MINIMAL.replace("env:OPENAI_API_KEY", "file:" + key)),
        problemsOf(withEnv, MINIMAL))) {
      assertThat(problems).singleElement().asString()
          .startsWith("agent.yaml:6: probes[0].llm.apiKey: from ")
          .contains("holds a character an HTTP header cannot carry").contains("the value is not shown")
          .doesNotContain("0123").doesNotContain("456789");
    }
  }

  private static List<String> problemsOf(ConfigLoader<AgentConfig> loader, String yaml) {
    try {
      loader.parse("agent.yaml", yaml);
      return List.of();
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  @Test
  void namesTheFileWhenItCannotBeRead() {
    assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/agent.yaml")))
        .hasMessageStartingWith("/nonexistent/agent.yaml:1: cannot read the file (NoSuchFileException");
  }
}
