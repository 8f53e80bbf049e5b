package dev.dialtone.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.controlplane.model.FailbackMode;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.security.authz.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlPlaneConfigLoaderTest {
  static final String MINIMAL = """
      deployment: acme-voice
      replicaId: cp-1
      zookeeper: { connect: "127.0.0.1:2181" }
      security: { plaintext: true }
      """;

  final ControlPlaneConfigLoader loader = new ControlPlaneConfigLoader();

  @Test
  void defaultsArePinned() {
    ControlPlaneConfig c = loader.parse("cp.yaml", MINIMAL);

    assertThat(c.zookeeper().sessionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.zookeeper().connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.zookeeper().stopOn()).isEqualTo(ControlPlaneConfig.StopOn.SUSPENDED);
    assertThat(c.grpc()).isEqualTo(new ControlPlaneConfig.Grpc(7443, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThat(c.http().port()).isEqualTo(9465);
    assertThat(c.tick()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.plans()).isEqualTo(new ControlPlaneConfig.Plans(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(2)));
    assertThat(c.historyCap()).isEqualTo(1000);
    assertThat(c.policy().toPolicyConfig()).isEqualTo(PolicyConfig.defaults());
    assertThat(c.regions()).isEmpty();
    assertThat(c.chaos()).as("no chaos section: no game days").isNull();
  }

  @Test
  void chaosDefaultsArePinnedAndDrillsAreRelativeToTheConfigFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("drills"));
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, MINIMAL + "chaos: { toxiproxy: \"http://127.0.0.1:8474\", drills: drills }\n");

    ControlPlaneConfig.Chaos chaos = loader.load(file).chaos();

    assertThat(chaos).isEqualTo(new ControlPlaneConfig.Chaos("http://127.0.0.1:8474", dir.resolve("drills").toString(),
        Duration.ofMillis(100), 5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10), 100));
  }

  @Test
  void theFullChaosMappingIsRead(@TempDir Path dir) {
    ControlPlaneConfig c = loader.parse("cp.yaml", MINIMAL + """
        chaos: { toxiproxy: "http://toxiproxy:8474", drills: "%s", pollInterval: 50ms, healAttempts: 3,
                 schedulerTick: 2s, onTimeGrace: 1m, orphanSweepInterval: 5s, reportsKept: 7 }
        """.formatted(dir), Path.of("/elsewhere"));

    assertThat(c.chaos()).isEqualTo(new ControlPlaneConfig.Chaos("http://toxiproxy:8474", dir.toString(),
        Duration.ofMillis(50), 3, Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofSeconds(5), 7));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "toxiproxy: \"127.0.0.1:8474\"|cp.yaml: chaos.toxiproxy: must be the Toxiproxy API URL",
      "drills: ''|cp.yaml: chaos.drills: must be set",
      "pollInterval: 0s|cp.yaml: chaos.pollInterval: must be positive",
      "healAttempts: 0|cp.yaml: chaos.healAttempts: must be >= 1",
      "onTimeGrace: 100ms|cp.yaml: chaos.onTimeGrace: must be at least chaos.schedulerTick",
      "reportsKept: 0|cp.yaml: chaos.reportsKept: must be >= 1",
      "drils: x|cp.yaml: chaos.drils: unknown key",
  })
  void eachChaosValidationFailureNamesTheField(String override, String message, @TempDir Path dir) {
    String key = override.substring(0, override.indexOf(':'));
    String base = "toxiproxy: \"http://127.0.0.1:8474\", drills: \"" + dir + "\"";
    String fields = base.contains(key + ":") ? base.replaceAll(key + ": \"[^\"]*\"", override) : base + ", " + override;
    assertThatThrownBy(() -> loader.parse("cp.yaml", MINIMAL + "chaos: { " + fields + " }\n"))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
  }

  @Test
  void aBrokenDrillFileIsAConfigErrorNamingTheDrillFileLineAndField(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("llm.yaml"), """
        name: llm-latency
        region: us-east
        target: { kind: LLM, dependency: llm }
        faults:
          - type: latency
            latncy: 2s
        duration: 30s
        guardrails: { max_duration: 2m }
        """);

    assertThatThrownBy(() -> loader.parse("cp.yaml", MINIMAL + "chaos: { toxiproxy: \"http://127.0.0.1:8474\", drills: \"" + dir + "\" }\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cp.yaml: chaos.drills: drill files refused")
        .hasMessageContaining(dir.resolve("llm.yaml") + " line 6: unknown field 'latncy' in faults[0] (did you mean 'latency'?)");
  }

  @Test
  void aMissingDrillDirectoryIsNamed() {
    assertThatThrownBy(() -> loader.parse("cp.yaml", MINIMAL + "chaos: { toxiproxy: \"http://127.0.0.1:8474\", drills: /nonexistent/drills }\n"))
        .isInstanceOf(ConfigException.class).hasMessage("cp.yaml: chaos.drills: no such directory: /nonexistent/drills");
  }

  @Test
  void theFullMappingIsRead() {
    ControlPlaneConfig c = loader.parse("cp.yaml", MINIMAL + """
        grpc: { port: 7000, keepAliveTime: 2s, keepAliveTimeout: 500ms, permitKeepAliveTime: 1s }
        http: { port: 0 }
        tick: 250ms
        plans: { attemptTimeout: 2s, stepBudget: 10s, initialBackoff: 50ms, maxBackoff: 1s }
        historyCap: 50
        policy: { mode: manual, failAfter: 3, recoverAfter: 4, holdDown: 30s, failback: { mode: AUTOMATIC, healthyFor: 2m },
                  staleAfter: 3s, outageAutoExit: false, provisioningHealthyFor: 1m }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com:5060" } }
        """);

    assertThat(c.grpc().port()).isEqualTo(7000);
    assertThat(c.tick()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.policy().toPolicyConfig()).isEqualTo(new PolicyConfig(Mode.MANUAL, 3, 4, Duration.ofSeconds(30),
        FailbackMode.AUTOMATIC, Duration.ofMinutes(2), Duration.ofSeconds(3), false, Duration.ofMinutes(1)));
    assertThat(ControlPlaneConfigLoader.edge(c.regions().get(0)).ipv4()).containsExactly("203.0.113.10");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "deployment: Acme|cp.yaml: deployment: must be set",
      "replicaId: ''|cp.yaml: replicaId: must be set",
      "zookeeper: {}|cp.yaml: zookeeper.connect: must be set",
      "zookeeper: { connect: x, sessionTimeout: 0s }|cp.yaml: zookeeper.sessionTimeout: must be positive",
      "zookeeper: { connect: x, sessionTimeout: soon }|cp.yaml: zookeeper.sessionTimeout: ",
      "zookeeper: { connect: x, stopOn: NEVER }|cp.yaml: zookeeper.stopOn: ",
      "grpc: { port: 70000 }|cp.yaml: grpc.port: must be 0..65535",
      "grpc: { keepAliveTime: 1s, permitKeepAliveTime: 5s }|cp.yaml: grpc.permitKeepAliveTime: must not exceed",
      "http: { port: -1 }|cp.yaml: http.port: must be 0..65535",
      "tick: 0ms|cp.yaml: tick: must be positive",
      "plans: { attemptTimeout: 10s, stepBudget: 5s }|cp.yaml: plans.stepBudget: must be at least",
      "historyCap: 3|cp.yaml: historyCap: must be >= 10",
      "policy: { failAfter: 0 }|cp.yaml: policy.failAfter: must be >= 1",
      "regions: [ { id: us-east, priority: 1 } ]|cp.yaml: regions[0].edge: must be set",
      "regions: [ { id: US, priority: 1, edge: { a: [1.2.3.4] } } ]|cp.yaml: regions[0].id: must be set",
      "regions: [ { id: a, priority: 1, edge: {} } ]|cp.yaml: regions[0].edge: region a: edge has no address",
      "regions: [ { id: a, priority: 1, edge: { a: [1.1.1.1] } }, { id: a, priority: 2, edge: { a: [1.1.1.2] } } ]|cp.yaml: regions[1].id: region a is listed twice",
      "colour: blue|cp.yaml: colour: unknown key (known keys: ",
      "zookeeper: { connect: x, sesionTimeout: 5s }|cp.yaml: zookeeper.sesionTimeout: unknown key",
  })
  void eachValidationFailureNamesTheFileAndTheField(String override, String message) {
    String yaml = overridden(override);
    assertThatThrownBy(() -> loader.parse("cp.yaml", yaml)).isInstanceOf(ConfigException.class).hasMessageStartingWith(message);
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/cp.yaml")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("/nonexistent/cp.yaml: cannot read");
  }

  @Test
  void theExampleConfigIsValidWhereItsFilesExist(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("tls"));
    for (String f : List.of("tls/cp-1.crt", "tls/cp-1.key", "tls/ca.crt")) {
      Files.writeString(dir.resolve(f), "pem");
    }
    Files.writeString(dir.resolve("zookeeper.password"), "zk-secret\n");
    String example = Files.readString(Path.of("control-plane.example.yaml")).replace("/etc/dialtone/", dir + "/");

    ControlPlaneConfig c = loader.parse("control-plane.example.yaml", example);

    assertThat(c.regions()).hasSize(2);
    assertThat(ControlPlaneConfigLoader.drills("example", c.chaos())).extracting(d -> d.name()).containsExactlyInAnyOrder("carrier-blackhole", "llm-timeout");
    ControlPlaneConfig.Security s = c.security();
    assertThat(s.plaintext()).isFalse();
    assertThat(s.tls().refresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.tls().requireClientCertificate()).isFalse();
    assertThat(s.access().certificates()).containsEntry("spiffe://acme-voice/operator/alice", Role.ADMIN);
    assertThat(s.access().tokens()).extracting(ControlPlaneConfig.Token::role).containsExactly(Role.OPERATOR);
    assertThat(s.zookeeper().password().reveal()).isEqualTo("zk-secret");
    assertThat(c.toString()).doesNotContain("zk-secret");
    assertThat(ControlPlaneConfigLoader.credentials(c).forToken("test").principal()).get()
        .satisfies(p -> assertThat(p.name()).isEqualTo("token:deploy-pipeline"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "security: {}|cp.yaml: security: must set tls: { certificate, key, trustBundle } (or plaintext: true",
      "security: { plaintext: false }|cp.yaml: security: must set tls",
      "security: { plaintext: true, tls: { certificate: a, key: b, trustBundle: c } }|cp.yaml: security.plaintext: set either",
      "security: { tls: { certificate: /nonexistent/cp.crt, key: b, trustBundle: c } }|cp.yaml: security.tls.certificate: cannot read /nonexistent/cp.crt",
      "security: { tls: { key: b, trustBundle: c } }|cp.yaml: security.tls.certificate: must be set",
      "security: { plaintext: true, access: { certificates: { \"spiffe://other/operator/x\": admin } } }|cp.yaml: security.access.certificates[\"spiffe://other/operator/x\"]: belongs to deployment other",
      "security: { plaintext: true, access: { certificates: { \"alice\": admin } } }|cp.yaml: security.access.certificates[\"alice\"]: not a Dialtone SPIFFE id",
      "security: { plaintext: true, access: { certificates: { \"spiffe://acme-voice/operator/x\": root } } }|cp.yaml: security.access.certificates.spiffe://acme-voice/operator/x: ",
      "security: { plaintext: true, access: { tokens: [ { name: ci, role: operator, sha256: s3cret } ] } }|cp.yaml: security.access.tokens[0].sha256: must be 64 lower-case hex digits",
      "security: { plaintext: true, access: { tokens: [ { role: operator } ] } }|cp.yaml: security.access.tokens[0].name: must be set",
      "security: { plaintext: true, zookeeper: { user: dialtone, password: hunter2 } }|cp.yaml: security.zookeeper.password: must be file:/path or env:NAME, not a literal value",
      "security: { plaintext: true, zookeeper: { user: dialtone, password: \"env:NO_SUCH_VAR\" } }|cp.yaml: security.zookeeper.password: environment variable NO_SUCH_VAR is not set",
      "security: { plaintext: true, zookeeper: { password: \"env:ZK_PW\" } }|cp.yaml: security.zookeeper.user: must be set",
      "security: { plaintext: true, zookeeper: { user: dialtone } }|cp.yaml: security.zookeeper.password: must be set",
  })
  void securityProblemsNameTheFieldAndNeverTheSecret(String override, String message) {
    String yaml = overridden(override);
    assertThatThrownBy(() -> new ControlPlaneConfigLoader(Map.of("ZK_PW", "pw")).parse("cp.yaml", yaml))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith(message).hasMessageNotContaining("hunter2");
  }

  @Test
  void tokensNeedCertificateLessCallersToBeAdmitted(@TempDir Path dir) throws Exception {
    for (String f : List.of("a.crt", "a.key", "ca.crt")) {
      Files.writeString(dir.resolve(f), "pem");
    }
    String yaml = overridden("security: { tls: { certificate: %s/a.crt, key: %s/a.key, trustBundle: %s/ca.crt }, access: { tokens: [ { name: ci, role: viewer, sha256: %s } ] } }"
        .formatted(dir, dir, dir, "0".repeat(64)));
    assertThatThrownBy(() -> loader.parse("cp.yaml", yaml)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cp.yaml: security.tls.requireClientCertificate: must be false when security.access.tokens are configured");
  }

  static String overridden(String override) {
    String key = override.substring(0, override.indexOf(':'));
    StringBuilder out = new StringBuilder();
    for (String line : MINIMAL.split("\n")) {
      if (!line.startsWith(key + ":")) {
        out.append(line).append('\n');
      }
    }
    return out.append(override).append('\n').toString();
  }
}
