package dev.dialtone.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.agent.probe.llm.LlmProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  private static final Map<String, String> ENV = Map.of("OPENAI_API_KEY", "sk-test");
  private final AgentConfigLoader loader = new AgentConfigLoader(ENV);

  private static final String MINIMAL = """
      deployment: acme-voice
      region: us-east
      controlPlane: { replicas: ["127.0.0.1:7001"], plaintext: true }
      probes:
        - name: openai
          llm: { baseUrl: "https://api.openai.com", apiKey: { env: OPENAI_API_KEY } }
      """;

  @Test
  void pinsTheDefaults() {
    AgentConfig c = loader.parse("agent.yaml", MINIMAL);
    assertThat(c.reportInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.readyWindow()).isEqualTo(Duration.ofSeconds(10));
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
    assertThat(c.vantage()).isEmpty();
  }

  @Test
  void mapsEveryPropertyOfTheExample(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    for (String f : java.util.List.of("tls/us-east-a.crt", "tls/us-east-a.key", "tls/ca.crt")) {
      Files.writeString(dir.resolve(f), "pem");
    }
    AgentConfig c = new AgentConfigLoader(Map.of("OPENAI_API_KEY", "sk-x", "PGPASSWORD", "pw"))
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
    assertThat(c.probes().get(1).postgres().replicationLagAbove()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.probes().get(2).redis().probeKey()).isEqualTo("dialtone:probe:us-east");
    assertThat(c.probes().get(3).sip().uri()).isEqualTo("sip:edge.us-east.example.com:5060;transport=udp");
    assertThat(c.vantage()).extracting(AgentConfig.Vantage::region).containsExactly("us-west");
  }

  private void rejects(String yaml, String message) {
    assertThatThrownBy(() -> loader.parse("agent.yaml", yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsUnknownKeysNamingThePath() {
    assertThatThrownBy(() -> loader.parse("agent.yaml", MINIMAL.replace("baseUrl:", "baseUri:")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("agent.yaml: probes[0].llm.baseUri: unknown key (known keys: apiKey, baseUrl, mode, model)");
  }

  @Test
  void rejectsBadUris() {
    rejects(MINIMAL.replace("https://api.openai.com", "ftp://api.openai.com"),
        "agent.yaml: probes[0].llm.baseUrl: must be an http or https URL, was 'ftp://api.openai.com'");
    rejects(MINIMAL.replace("https://api.openai.com", "https//nohost"),
        "agent.yaml: probes[0].llm.baseUrl: not an absolute URI with a host: 'https//nohost'");
    rejects(MINIMAL.replace("127.0.0.1:7001", "127.0.0.1"),
        "agent.yaml: controlPlane.replicas[0]: not host:port: '127.0.0.1'");
    rejects(MINIMAL + "vantage: [ { region: us-west, uri: \"sip:edge;transport=sctp\" } ]\n",
        "agent.yaml: vantage[0].uri: unsupported transport 'sctp' in sip:edge;transport=sctp (udp or tcp)");
    rejects(MINIMAL + "  - name: db\n    postgres: { jdbcUrl: \"jdbc:mysql://h/db\", user: u }\n",
        "agent.yaml: probes[1].postgres.jdbcUrl: must start with jdbc:postgresql://, was 'jdbc:mysql://h/db'");
    rejects(MINIMAL + "  - name: cache\n    redis: { uri: \"redis://user:pw@h:6379\" }\n",
        "agent.yaml: probes[1].redis.uri: must not contain credentials; use password: {file: ...} or {env: ...}");
  }

  @Test
  void rejectsATimeoutNotShorterThanItsInterval() {
    rejects(MINIMAL.replace("- name: openai", "- name: openai\n    interval: 1s\n    timeout: 1s"),
        "agent.yaml: probes[0].timeout: must be shorter than interval (PT1S), was PT1S");
    rejects(MINIMAL.replace("- name: openai", "- name: openai\n    degradedAbove: 900ms"),
        "agent.yaml: probes[0].degradedAbove: must be shorter than timeout (PT0.8S), was PT0.9S");
  }

  @Test
  void rejectsMissingSecretsWithoutRevealingAnything() {
    rejects(MINIMAL.replace("OPENAI_API_KEY", "NOPE_KEY"),
        "agent.yaml: probes[0].llm.apiKey: environment variable NOPE_KEY is not set");
    rejects(MINIMAL.replace("{ env: OPENAI_API_KEY }", "{ file: /nonexistent/key }"),
        "agent.yaml: probes[0].llm.apiKey: cannot read secret file /nonexistent/key (NoSuchFileException)");
    rejects(MINIMAL.replace(", apiKey: { env: OPENAI_API_KEY }", ""),
        "agent.yaml: probes[0].llm.apiKey: an API key is required (apiKey: {file: ...} or {env: ...})");
  }

  @Test
  void readsSecretsFromFiles(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("key");
    Files.writeString(key, "sk-from-file\n");
    AgentConfig c = loader.parse("agent.yaml", MINIMAL.replace("{ env: OPENAI_API_KEY }", "{ file: \"" + key + "\" }"));
    assertThat(c.probes().get(0).llm().apiKey().read(ENV)).isEqualTo("sk-from-file");
  }

  @Test
  void rejectsStructuralMistakes() {
    rejects(MINIMAL.replace("region: us-east\n", ""), "agent.yaml: region: is required");
    rejects(MINIMAL.replace("replicas: [\"127.0.0.1:7001\"]", "replicas: []"),
        "agent.yaml: controlPlane.replicas: at least one control-plane replica (host:port) is required");
    rejects(MINIMAL + "  - name: openai\n    sip: { uri: \"sip:x\" }\n", "agent.yaml: probes[1].name: duplicate probe name 'openai'");
    rejects(MINIMAL + "  - name: both\n    sip: { uri: \"sip:x\" }\n    redis: { uri: \"redis://h\" }\n",
        "agent.yaml: probes[1]: set exactly one of llm, postgres, redis, sip (found 2)");
    rejects(MINIMAL.replace("deployment: acme-voice", "deployment: acme-voice\nreportInterval: soon"),
        "agent.yaml: reportInterval: Cannot deserialize value of type `java.time.Duration` from String \"soon\": 'soon' is not a duration (use 500ms, 1s, 2m, 1h)");
    rejects(MINIMAL.replace("- name: openai", "- name: openai\n    failAfter: 0"),
        "agent.yaml: probes[0].failAfter: must be at least 1, was 0");
  }

  @Test
  void theTransportToTheReplicasMustBeChosenExplicitly() {
    String none = MINIMAL.replace(", plaintext: true", "");
    rejects(none, "agent.yaml: controlPlane: set tls: { certificate, key, trustBundle } (or plaintext: true, for the dev/lab profile only)");
    rejects(MINIMAL.replace("plaintext: true", "plaintext: true, tls: { certificate: a, key: b, trustBundle: c }"),
        "agent.yaml: controlPlane.plaintext: set either controlPlane.tls or plaintext: true, not both");
    rejects(none.replace("replicas:", "tls: { certificate: /nonexistent/a.crt, key: b, trustBundle: c }, replicas:"),
        "agent.yaml: controlPlane.tls.certificate: cannot read /nonexistent/a.crt");
    rejects(none.replace("replicas:", "tls: { key: b, trustBundle: c }, replicas:"),
        "agent.yaml: controlPlane.tls.certificate: is required");
  }

  @Test
  void namesTheFileWhenItCannotBeRead() {
    assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/agent.yaml")))
        .hasMessageStartingWith("/nonexistent/agent.yaml: cannot read (NoSuchFileException");
  }
}
