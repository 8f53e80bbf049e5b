package dev.dialtone.controlplane.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.Problem;
import dev.dialtone.controlplane.model.FailbackMode;
import dev.dialtone.controlplane.model.Mode;
import dev.dialtone.controlplane.model.PolicyConfig;
import dev.dialtone.security.authz.Role;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pins the defaults, the full mapping and each validation rule of a replica's file. */
class ControlPlaneConfigTest {
  static final String MINIMAL = """
      deployment: acme-voice
      replicaId: cp-1
      zookeeper: { connect: "127.0.0.1:2181" }
      regions:
        - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com:5060" } }
        - { id: us-west, priority: 2, edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com:5060" } }
      security: { plaintext: true }
      """;

  final ControlPlaneConfigLoader loader = new ControlPlaneConfigLoader(Map.of("ZK_PW", "pw"));

  List<String> problems(String yaml) {
    try {
      loader.parse("cp.yaml", yaml);
      return List.of();
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
  }

  @Test
  void defaultsArePinned() {
    ControlPlaneConfig c = loader.parse("cp.yaml", MINIMAL);

    assertThat(c.mode()).isEqualTo(ControlPlaneConfig.Operation.ACTUATE);
    assertThat(c.drivesTraffic()).isFalse();
    assertThat(c.zookeeper().sessionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.zookeeper().connectionTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.zookeeper().stopOn()).isEqualTo(ControlPlaneConfig.StopOn.SUSPENDED);
    assertThat(c.grpc()).as("plaintext: loopback unless told otherwise")
        .isEqualTo(new ControlPlaneConfig.Grpc(7443, "127.0.0.1", Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
    assertThat(c.http()).isEqualTo(new ControlPlaneConfig.Http(9465, "127.0.0.1"));
    assertThat(c.tick()).isEqualTo(Duration.ofMillis(500));
    assertThat(c.plans()).isEqualTo(new ControlPlaneConfig.Plans(Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(2)));
    assertThat(c.historyCap()).isEqualTo(1000);
    assertThat(c.policy().toPolicyConfig()).isEqualTo(PolicyConfig.defaults());
    assertThat(c.dns()).isNull();
    assertThat(c.chaos()).as("no chaos section: no game days").isNull();
    assertThat(c.servesStatusPage()).as("no statusPage section: no status page").isFalse();
  }

  @Test
  void statusPageDefaultsArePinnedAndItsMappingIsRead() {
    ControlPlaneConfig on = loader.parse("cp.yaml", MINIMAL + "statusPage: {}\n");
    assertThat(on.servesStatusPage()).as("present means on").isTrue();
    assertThat(on.statusPage()).isEqualTo(new ControlPlaneConfig.StatusPage(true, 9443, "127.0.0.1", Duration.ofMillis(500),
        Duration.ofSeconds(5), Duration.ofHours(12)));

    ControlPlaneConfig full = loader.parse("cp.yaml", MINIMAL + "statusPage: { enabled: false, port: 0, address: \"::1\","
        + " refresh: 250ms, readBackEvery: 30s, signInFor: 1h }\n");
    assertThat(full.servesStatusPage()).isFalse();
    assertThat(full.statusPage()).isEqualTo(new ControlPlaneConfig.StatusPage(false, 0, "::1", Duration.ofMillis(250),
        Duration.ofSeconds(30), Duration.ofHours(1)));
  }

  @Test
  void chaosDefaultsArePinnedAndDrillsAreRelativeToTheConfigFile(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("drills"));
    Path file = dir.resolve("cp.yaml");
    Files.writeString(file, MINIMAL + "chaos: { toxiproxy: \"http://127.0.0.1:8474\", drills: drills }\n");

    ControlPlaneConfig.Chaos chaos = loader.load(file).chaos();

    assertThat(chaos).isEqualTo(new ControlPlaneConfig.Chaos("http://127.0.0.1:8474", dir.resolve("drills").toString(),
        List.of("llm", "db", "cache", "carrier"), List.of(), Duration.ofMillis(100), 5, Duration.ofSeconds(1), Duration.ofSeconds(30),
        Duration.ofSeconds(10), 100, 10));
  }

  @Test
  void theFullMappingIsRead() {
    ControlPlaneConfig c = loader.parse("cp.yaml", MINIMAL + """
        grpc: { port: 7000, address: 127.0.0.1, keepAliveTime: 2s, keepAliveTimeout: 500ms, permitKeepAliveTime: 1s }
        http: { port: 0, address: "::1" }
        tick: 250ms
        plans: { attemptTimeout: 2s, stepBudget: 10s, initialBackoff: 50ms, maxBackoff: 1s }
        historyCap: 50
        policy: { mode: manual, failAfter: 3, recoverAfter: 4, holdDown: 30s, failback: { mode: AUTOMATIC, healthyFor: 2m },
                  staleAfter: 3s, outageAutoExit: false, provisioningHealthyFor: 1m }
        """);

    assertThat(c.grpc().port()).isEqualTo(7000);
    assertThat(c.grpc().address()).isEqualTo("127.0.0.1");
    assertThat(c.http().address()).isEqualTo("::1");
    assertThat(c.tick()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.policy().toPolicyConfig()).isEqualTo(new PolicyConfig(Mode.MANUAL, 3, 4, Duration.ofSeconds(30),
        FailbackMode.AUTOMATIC, Duration.ofMinutes(2), Duration.ofSeconds(3), false, Duration.ofMinutes(1)));
    assertThat(c.regions().get(0).toEdge().ipv4()).containsExactly("203.0.113.10");
  }

  @Test
  void theDnsRetryBudgetIsHalfTheAttemptTimeoutUnlessSet() {
    String dns = "dns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ] }\n";
    assertThat(loader.parse("cp.yaml", MINIMAL + dns).dnsConfig().retryBudget()).isEqualTo(Duration.ofMillis(2500));
    ControlPlaneConfig set =
        loader.parse("cp.yaml", MINIMAL + "plans: { attemptTimeout: 30s }\n" + dns.replace(" ] }", " ], retry: { budget: 12s } }"));
    assertThat(set.dnsConfig().retryBudget()).isEqualTo(Duration.ofSeconds(12));
  }

  /**
   * One row per rule, and the corpus of broken files that used to be accepted silently or answered
   * with a stack trace: replace the first match of {@code from} in the minimal file by {@code to}
   * and expect a problem line starting with {@code expected}.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      ip out of range         | 203.0.113.10            | 999.1.1.1                            | cp.yaml:5: regions[0].edge.a[0]: '999.1.1.1' is refused: must be an IPv4 address
      host name as address    | 203.0.113.10            | edge.example.com                     | cp.yaml:5: regions[0].edge.a[0]: 'edge.example.com' is refused: must be an IPv4 address
      ipv6 in a               | 203.0.113.10            | '"2001:db8::1"'                      | cp.yaml:5: regions[0].edge.a[0]: '2001:db8::1' is refused: must be an IPv4 address
      http sip uri            | '"sip:edge.us-east.example.com:5060"' | '"http://edge.us-east.example.com"' | cp.yaml:5: regions[0].edge.sip: 'http://edge.us-east.example.com' is refused: must be a sip: or sips: URI
      empty edge              | '{ a: [203.0.113.10], sip: "sip:edge.us-east.example.com:5060" }' | '{}' | cp.yaml:5: regions[0].edge: needs at least one of a, aaaa, sip, cname
      no edge                 | ', edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com:5060" }' | '' | cp.yaml:5: regions[0].edge: is required
      one priority twice      | 'priority: 2'           | 'priority: 1'                        | cp.yaml:6: regions[1].priority: priority 1 is also region us-east's
      region twice            | 'id: us-west'           | 'id: us-east'                        | cp.yaml:6: regions[1].id: region us-east is listed twice
      bad region id           | 'id: us-west'           | 'id: US_West'                        | cp.yaml:6: regions[1].id: 'US_West' is refused: must be lower-case letters
      duplicated key          | 'replicaId: cp-1'       | 'replicaId: cp-1\\nreplicaId: cp-2'  | cp.yaml:3: duplicate key
      two documents           | 'replicaId: cp-1'       | 'replicaId: cp-1\\n---\\nreplicaId: cp-2' | cp.yaml:3: a second YAML document ('---') is not allowed
      unknown key             | 'replicaId: cp-1'       | 'replicaId: cp-1\\nzookeper: {}'     | cp.yaml:3: zookeper: unknown key 'zookeper' (did you mean 'zookeeper'?)
      zk port out of range    | 127.0.0.1:2181          | 127.0.0.1:99999                      | cp.yaml:3: zookeeper.connect: '127.0.0.1:99999' is refused: each server must be host:port with a port 1-65535
      zk garbage              | 127.0.0.1:2181          | 'not a connect string'               | cp.yaml:3: zookeeper.connect: 'not a connect string' is refused
      zk no port              | 127.0.0.1:2181          | 'zk1,zk2'                            | cp.yaml:3: zookeeper.connect: 'zk1,zk2' is refused
      zk bare session         | '"127.0.0.1:2181" }'    | '"127.0.0.1:2181", sessionTimeout: 5 }' | cp.yaml:3: zookeeper.sessionTimeout: '5' has no unit
      zk negative session     | '"127.0.0.1:2181" }'    | '"127.0.0.1:2181", sessionTimeout: -5s }' | cp.yaml:3: zookeeper.sessionTimeout: '-5s' is negative
      zk stop on              | '"127.0.0.1:2181" }'    | '"127.0.0.1:2181", stopOn: NEVER }'  | cp.yaml:3: zookeeper.stopOn: must be one of suspended, lost (was 'NEVER')
      grpc port equals http   | 'security:'             | 'grpc: { port: 7000 }\\nhttp: { port: 7000, address: 0.0.0.0 }\\nsecurity:' | cp.yaml:8: http.port: must differ from grpc.port (7000)
      grpc port range         | 'security:'             | 'grpc: { port: 70000 }\\nsecurity:'  | cp.yaml:7: grpc.port: must be less than or equal to 65535
      grpc port not a number  | 'security:'             | 'grpc: { port: seventy }\\nsecurity:' | cp.yaml:7: grpc.port: must be a whole number (was 'seventy')
      permit keepalive        | 'security:'             | 'grpc: { keepAliveTime: 1s, permitKeepAliveTime: 5s }\\nsecurity:' | cp.yaml:7: grpc.permitKeepAliveTime: must not exceed keepAliveTime (1s)
      grpc address            | 'security:'             | 'grpc: { address: everywhere }\\nsecurity:' | cp.yaml:7: grpc.address: 'everywhere' is refused: must be an IP address
      tick zero               | 'security:'             | 'tick: 0ms\\nsecurity:'              | cp.yaml:7: tick: '0s' is refused: must be a positive duration
      backoff above max       | 'security:'             | 'plans: { initialBackoff: 5s, maxBackoff: 2s }\\nsecurity:' | cp.yaml:7: plans.initialBackoff: must not exceed maxBackoff (2s), was 5s
      budget below attempt    | 'security:'             | 'plans: { attemptTimeout: 10s, stepBudget: 5s }\\nsecurity:' | cp.yaml:7: plans.stepBudget: must be at least attemptTimeout (10s), was 5s
      history cap             | 'security:'             | 'historyCap: 3\\nsecurity:'          | cp.yaml:7: historyCap: must be at least 10
      fail after              | 'security:'             | 'policy: { failAfter: 0 }\\nsecurity:' | cp.yaml:7: policy.failAfter: must be greater than or equal to 1
      no security             | 'security: { plaintext: true }' | ''                           | cp.yaml:1: security: is required
      security empty          | 'security: { plaintext: true }' | 'security: {}'               | cp.yaml:7: security: must set tls: { certificate, key, trustBundle } (or plaintext: true
      plaintext and tls       | 'security: { plaintext: true }' | 'security: { plaintext: true, tls: { certificate: /etc/hosts, key: /etc/hosts, trustBundle: /etc/hosts } }' | cp.yaml:7: security.plaintext: set either security.tls or plaintext: true, not both
      missing cert file       | 'security: { plaintext: true }' | 'security: { tls: { certificate: /nonexistent/cp.crt, key: /etc/hosts, trustBundle: /etc/hosts } }' | cp.yaml:7: security.tls.certificate: cannot read /nonexistent/cp.crt (no such file)
      other deployment cert   | 'security: { plaintext: true }' | 'security: { plaintext: true, access: { certificates: { "spiffe://other/operator/x": admin } } }' | cp.yaml:7: security.access.certificates[spiffe://other/operator/x]: belongs to deployment other
      not a spiffe id         | 'security: { plaintext: true }' | 'security: { plaintext: true, access: { certificates: { alice: admin } } }' | cp.yaml:7: security.access.certificates[alice]: 'alice' is not a Dialtone SPIFFE id
      unknown role            | 'security: { plaintext: true }' | 'security: { plaintext: true, access: { certificates: { "spiffe://acme-voice/operator/x": root } } }' | cp.yaml:7: security.access.certificates.spiffe://acme-voice/operator/x: must be one of viewer, operator, admin (was 'root')
      token not a hash        | 'security: { plaintext: true }' | 'security: { plaintext: true, access: { tokens: [ { name: ci, role: operator, sha256: s3cret } ] } }' | cp.yaml:7: security.access.tokens[0].sha256: must be 64 lower-case hex digits
      token without name      | 'security: { plaintext: true }' | 'security: { plaintext: true, access: { tokens: [ { role: operator, sha256: 0000000000000000000000000000000000000000000000000000000000000000 } ] } }' | cp.yaml:7: security.access.tokens[0].name: is required
      literal zk password     | 'security: { plaintext: true }' | 'security: { plaintext: true, zookeeper: { user: dialtone, password: hunter2 } }' | cp.yaml:7: security.zookeeper.password: must be file:/path/to/file or env:VARIABLE
      unset zk password var   | 'security: { plaintext: true }' | 'security: { plaintext: true, zookeeper: { user: dialtone, password: "env:NO_SUCH_VAR" } }' | cp.yaml:7: security.zookeeper.password: environment variable NO_SUCH_VAR is not set
      zk user missing         | 'security: { plaintext: true }' | 'security: { plaintext: true, zookeeper: { password: "env:ZK_PW" } }' | cp.yaml:7: security.zookeeper.user: is required
      recommend with dns      | 'replicaId: cp-1'       | 'replicaId: cp-1\\nmode: RECOMMEND_ONLY\\ndns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ] }' | cp.yaml:3: mode: RECOMMEND_ONLY drives nothing
      unknown operation mode  | 'replicaId: cp-1'       | 'replicaId: cp-1\\nmode: YOLO'       | cp.yaml:3: mode: must be one of actuate, recommend_only (was 'YOLO')
      dns outside zone        | 'replicaId: cp-1'       | 'replicaId: cp-1\\ndns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.org., type: A } ] }' | cp.yaml:3: dns.records[0].name: voice.example.org. is outside zone example.com.
      dns budget over attempt | 'replicaId: cp-1'       | 'replicaId: cp-1\\ndns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ], retry: { budget: 10s } }' | cp.yaml:3: dns.retry.budget: must fit inside plans.attemptTimeout (5s): at most half of it
      route53 wait over budget | 'replicaId: cp-1'      | 'replicaId: cp-1\\ndns: { provider: { route53: { hostedZoneId: Z1, zone: example.com., syncTimeout: 60s } }, records: [ { name: voice.example.com., type: A } ] }' | cp.yaml:3: dns.provider.route53.syncTimeout: must fit inside the DNS retry budget (2500ms, within plans.attemptTimeout 5s), was 1m
      chaos toxiproxy url     | 'security:'             | 'chaos: { toxiproxy: "127.0.0.1:8474", drills: /tmp }\\nsecurity:' | cp.yaml:7: chaos.toxiproxy: '127.0.0.1:8474' is refused: must be an http:// or https:// URL
      chaos grace             | 'security:'             | 'chaos: { toxiproxy: "http://127.0.0.1:8474", drills: /tmp, onTimeGrace: 100ms }\\nsecurity:' | cp.yaml:7: chaos.onTimeGrace: must be at least schedulerTick (1s), was 100ms
      page open in plaintext  | 'security:'             | 'statusPage: { address: 0.0.0.0 }\\nsecurity:' | cp.yaml:7: statusPage.address: '0.0.0.0' is refused with security.plaintext: without TLS the status page serves loopback only
      page on the grpc port   | 'security:'             | 'grpc: { port: 7000 }\\nstatusPage: { port: 7000 }\\nsecurity:' | cp.yaml:8: statusPage.port: must differ from grpc.port (7000)
      page on the http port   | 'security:'             | 'http: { port: 7001 }\\nstatusPage: { port: 7001 }\\nsecurity:' | cp.yaml:8: statusPage.port: must differ from http.port (7001)
      page address            | 'security:'             | 'statusPage: { address: localhost }\\nsecurity:' | cp.yaml:7: statusPage.address: 'localhost' is refused: must be an IP address
      page refresh too slow   | 'security:'             | 'statusPage: { refresh: 5s }\\nsecurity:' | cp.yaml:7: statusPage.refresh: must be at most 1s
      page typo               | 'security:'             | 'statusPage: { prot: 1 }\\nsecurity:' | cp.yaml:7: statusPage.prot: unknown key 'prot' in statusPage (did you mean 'port'?)
      chaos typo              | 'security:'             | 'chaos: { toxiproxy: "http://127.0.0.1:8474", drils: /tmp }\\nsecurity:' | cp.yaml:7: chaos.drils: unknown key 'drils' in chaos (did you mean 'drills'?)
      """)
  void refusesEachBrokenRuleWithOneLine(String rule, String from, String to, String expected) {
    String yaml = MINIMAL.replaceFirst(Pattern.quote(from.replace("\\n", "\n")), Matcher.quoteReplacement(to.replace("\\n", "\n")));
    assertThat(yaml).as("the row must change the file").isNotEqualTo(MINIMAL);
    List<String> problems = problems(yaml);
    assertThat(problems).as(rule).anySatisfy(p -> assertThat(p).startsWith(expected));
    assertThat(String.join("\n", problems)).doesNotContain("hunter2").doesNotContain("Cannot deserialize")
        .doesNotContain("Exception");
  }

  @Test
  void notificationsAreOptionalAndRefusedWithTheirFileLineAndField() {
    assertThat(loader.parse("cp.yaml", MINIMAL).notifications()).as("absent: no notifications").isNull();
    ControlPlaneConfig c = new ControlPlaneConfigLoader(Map.of("PD_KEY", "k")).parse("cp.yaml", MINIMAL + """
        notifications:
          receivers: [ { name: pager, pagerduty: { routingKey: "env:PD_KEY" }, events: [FAILOVER, FAILBACK] } ]
        """);
    assertThat(c.notifications().receivers()).singleElement().satisfies(r -> assertThat(r.name()).isEqualTo("pager"));
    assertThat(problems(MINIMAL + """
        notifications:
          receivers:
            - { name: pager, pagerduty: { routingKey: "hunter2" } }
        """)).singleElement().asString().startsWith("cp.yaml:10: notifications.receivers[0].pagerduty.routingKey")
        .doesNotContain("hunter2");
  }

  static final String CARRIERS = """
      carrier:
        - kamailio:
            rpcUrl: "http://10.0.0.5:5071/RPC"
            rpcToken: env:KAMAILIO_TOKEN
            database: { jdbcUrl: "jdbc:postgresql://10.0.0.6:5432/kamailio", user: dialtone, password: env:KAMAILIO_DB }
        - twilio:
            accountSid: AC0123456789abcdef0123456789abcdef
            trunkSid: TK0123456789abcdef0123456789abcdef
            apiKeySid: SK0123456789abcdef0123456789abcdef
            apiKeySecret: env:TWILIO_SECRET
      fallback:
        destinations: [ { queue: "sip:support@pbx.example.com" }, { pstn: "+15551230000" }, { voicemail: "sip:vm@pbx.example.com" } ]
        perNumber: { "+15557654321": [ { answeringService: "sip:answer@service.example.net" } ] }
        pstnGateway: "gw.example.com:5060"
      """;

  @Test
  void carriersAndTheFallbackChainAreBound() {
    ControlPlaneConfig c = new ControlPlaneConfigLoader(Map.of("KAMAILIO_TOKEN", "t", "KAMAILIO_DB", "p", "TWILIO_SECRET", "s"))
        .parse("cp.yaml", MINIMAL + CARRIERS);

    assertThat(c.drivesTraffic()).isTrue();
    assertThat(c.carrier()).extracting(dev.dialtone.carrier.CarrierConfig::actuatorName)
        .containsExactly("carrier/kamailio", "carrier/twilio");
    assertThat(c.fallback().plan().destinations()).hasSize(3);
    assertThat(c.fallback().plan().chainFor("+15557654321")).hasSize(1);
  }

  @Test
  void carriersNeedAFallbackChainAndDistinctNames() {
    ControlPlaneConfigLoader withSecrets = new ControlPlaneConfigLoader(Map.of("KAMAILIO_TOKEN", "t", "KAMAILIO_DB", "p",
        "TWILIO_SECRET", "s"));
    String noFallback = MINIMAL + CARRIERS.substring(0, CARRIERS.indexOf("fallback:"));
    assertThatThrownBy(() -> withSecrets.parse("cp.yaml", noFallback)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("cp.yaml:1: fallback: is required with carrier: outage mode needs somewhere to send callers");
    String twice = MINIMAL + CARRIERS.replace("- twilio:\n", "- kamailio:\n").replaceAll("(?s)      accountSid.*?apiKeySecret: env:TWILIO_SECRET\n",
        "      rpcUrl: \"http://10.0.0.7:5071/RPC\"\n      rpcToken: env:KAMAILIO_TOKEN\n      database: { jdbcUrl: \"jdbc:postgresql://h/k\", user: u }\n");
    assertThatThrownBy(() -> withSecrets.parse("cp.yaml", twice)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("carrier[1]: carrier/kamailio is configured twice");
    assertThatThrownBy(() -> withSecrets.parse("cp.yaml", MINIMAL + CARRIERS.replace("- kamailio:", "- kamalio:")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cp.yaml:9: carrier[0]: unknown kind 'kamalio' (did you mean 'kamailio'?)");
  }

  @Test
  void anEmptyRegionListIsRefused() {
    String yaml = MINIMAL.replaceAll("(?s)regions:.*?security:", "regions: []\nsecurity:");
    assertThat(problems(yaml)).containsExactly("cp.yaml:4: regions: at least one region is required");
  }

  @Test
  void drillsAreCheckedAgainstTheReplicasRegionsAndDependencies(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("llm.yaml"), """
        name: llm-latency
        region: us-east
        target: { kind: LLM, dependency: lllm }
        faults:
          - type: latency
            latncy: 2s
        duration: 30s
        guardrails: { max_duration: 2m }
        """);
    Files.writeString(dir.resolve("mars.yaml"), """
        name: mars
        region: mars-1
        target: { kind: LLM, dependency: llm }
        faults: [ { type: down } ]
        duration: 30s
        guardrails: { max_duration: 2m }
        """);

    assertThat(problems(MINIMAL + "chaos: { toxiproxy: \"http://127.0.0.1:8474\", drills: \"" + dir + "\" }\n"))
        .containsExactlyInAnyOrder(
            dir.resolve("llm.yaml") + ":6: faults[0].latncy: unknown key 'latncy' in faults[0] (did you mean 'latency'?)",
            dir.resolve("mars.yaml") + ":2: region: 'mars-1' is not a region of this deployment (nor 'all', every region) (known: us-east, us-west)");
    Files.writeString(dir.resolve("llm.yaml"), Files.readString(dir.resolve("llm.yaml")).replace("latncy", "latency"));
    Files.delete(dir.resolve("mars.yaml"));
    assertThat(problems(MINIMAL + "chaos: { toxiproxy: \"http://127.0.0.1:8474\", drills: \"" + dir + "\" }\n"))
        .containsExactly(dir.resolve("llm.yaml") + ":3: target.dependency: 'lllm' is not a dependency the fault levers reach"
            + " (did you mean 'llm'?)");
  }

  @Test
  void aMissingDrillDirectoryIsNamedWithItsLine() {
    assertThat(problems(MINIMAL + "chaos: { toxiproxy: \"http://127.0.0.1:8474\", drills: /nonexistent/drills }\n"))
        .containsExactly("cp.yaml:8: chaos.drills: no such directory: /nonexistent/drills");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> loader.load(Path.of("/nonexistent/cp.yaml")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("/nonexistent/cp.yaml:1: cannot read the file");
  }

  private static final class Pki {
    final CertificateAuthority ca = CertificateAuthority.create("acme-voice", Instant.now(), Duration.ofDays(1), new SecureRandom());
    final Path dir;

    Pki(Path dir) {
      this.dir = dir;
    }

    PemFiles issue(String name) {
      return ca.issue(CertificateAuthority.LeafSpec.loopback(name, URI.create("spiffe://acme-voice/replica/" + name),
          Instant.now(), Duration.ofDays(1))).written(dir, name);
    }

    Path trust() {
      return ca.writeTrustBundle(dir.resolve("ca.crt"));
    }
  }

  @Test
  void checksTheTlsFilesBeforeServing(@TempDir Path dir) throws Exception {
    Pki pki = new Pki(dir);
    PemFiles a = pki.issue("cp-1");
    PemFiles b = pki.issue("cp-2");
    Path trust = pki.trust();
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
    String tls = "security: { tls: { certificate: %s, key: %s, trustBundle: %s } }";
    String base = MINIMAL.replace("security: { plaintext: true }", tls);
    assertThat(problems(base.formatted(a.certificateChain(), a.privateKey(), trust))).isEmpty();
    assertThat(loader.parse("cp.yaml", base.formatted(a.certificateChain(), a.privateKey(), trust)).grpc().address())
        .as("with TLS the gRPC port listens on every interface by default").isEqualTo("0.0.0.0");
    assertThat(problems(base.formatted(a.certificateChain(), b.privateKey(), trust)))
        .singleElement().asString().startsWith("cp.yaml:7: security.tls.key: ").contains("does not match the certificate");
    assertThat(problems(base.formatted(a.privateKey(), a.certificateChain(), trust)))
        .anySatisfy(p -> assertThat(p).startsWith("cp.yaml:7: security.tls.certificate: ").contains("swapped?"));
    assertThat(problems(base.formatted(a.certificateChain(), a.privateKey(), a.privateKey())))
        .singleElement().asString().contains("security.tls.trustBundle: ").contains("a trust bundle is CA certificates only");
    assertThat(problems(base.formatted(garbage, a.privateKey(), trust)))
        .anySatisfy(p -> assertThat(p).contains("security.tls.certificate: ").contains(garbage + " is not PEM"));
  }

  @Test
  void tokensNeedCertificateLessCallersToBeAdmitted(@TempDir Path dir) {
    Pki pki = new Pki(dir);
    PemFiles a = pki.issue("cp-1");
    String yaml = MINIMAL.replace("security: { plaintext: true }",
        "security: { tls: { certificate: %s, key: %s, trustBundle: %s }, access: { tokens: [ { name: ci, role: viewer, sha256: %s } ] } }"
            .formatted(a.certificateChain(), a.privateKey(), pki.trust(), "0".repeat(64)));
    assertThat(problems(yaml)).containsExactly("cp.yaml:7: security.tls.requireClientCertificate: must be false when"
        + " security.access.tokens are configured: token holders present no client certificate");
  }

  @Test
  void theExampleConfigIsValidWhereItsFilesExist(@TempDir Path dir) throws Exception {
    Path tls = Files.createDirectories(dir.resolve("tls"));
    Pki pki = new Pki(tls);
    pki.issue("cp-1");
    pki.trust();
    Files.writeString(dir.resolve("zookeeper.password"), "zk-secret\n");
    Files.writeString(dir.resolve("kamailio-rpc.token"), "rpc-token\n");
    Files.writeString(dir.resolve("kamailio-db.password"), "db-password\n");
    Files.writeString(dir.resolve("tsig.key"),
        "key \"dialtone\" {\n\talgorithm hmac-sha256;\n\tsecret \"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ=\";\n};\n");
    String example = Files.readString(Path.of("control-plane.example.yaml")).replace("/etc/dialtone/", dir + "/");

    ControlPlaneConfig c = loader.parse("control-plane.example.yaml", example);

    assertThat(c.regions()).hasSize(2);
    assertThat(c.drivesTraffic()).isTrue();
    assertThat(c.dnsConfig().retryBudget()).as("fits inside plans.attemptTimeout").isEqualTo(Duration.ofMillis(2500));
    assertThat(c.carrier()).extracting(dev.dialtone.carrier.CarrierConfig::actuatorName).containsExactly("carrier/kamailio");
    assertThat(c.fallback().plan().needsPstnGateway()).isTrue();
    assertThat(ControlPlaneConfigLoader.drills("example", c)).extracting(d -> d.name())
        .containsExactlyInAnyOrder("carrier-blackhole", "leader-kill-mid-failover", "llm-timeout", "outage");
    ControlPlaneConfig.Security s = c.security();
    assertThat(s.plaintext()).isFalse();
    assertThat(s.tls().refresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.tls().requireClientCertificate()).isFalse();
    assertThat(s.access().certificates()).containsEntry("spiffe://acme-voice/operator/alice", Role.ADMIN);
    assertThat(s.access().tokens()).extracting(ControlPlaneConfig.Token::role).containsExactly(Role.OPERATOR);
    assertThat(s.zookeeper().password().reveal()).isEqualTo("zk-secret");
    assertThat(c.toString()).doesNotContain("zk-secret").doesNotContain("rpc-token").doesNotContain("db-password");
    assertThat(ControlPlaneConfigLoader.credentials(c).forToken("test").principal()).get()
        .satisfies(p -> assertThat(p.name()).isEqualTo("token:deploy-pipeline"));
  }
}
