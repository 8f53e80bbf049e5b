package dev.dialtone.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.agent.testing.TestReplica;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.llm.OpenAiStandIn;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.redis.RedisServer;
import dev.dialtone.peers.sipp.SippUas;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The whole agent, wired by Guice from YAML, against real peers and a real gRPC replica. */
class RegionAgentIT {
  @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);
  @RegisterExtension static final PeerExtension<PostgresServer> pg = PeerExtension.of(PostgresServer::new);
  @RegisterExtension static final PeerExtension<OpenAiStandIn> llm = PeerExtension.of(OpenAiStandIn::new);
  @RegisterExtension static final PeerExtension<SippUas> westEdge = PeerExtension.of(SippUas::new);

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(RegionAgent agent, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.httpPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HealthReport latest(TestReplica replica) {
    List<TestReplica.Received> r = replica.received();
    return r.get(r.size() - 1).report();
  }

  private static DependencyResult dependency(HealthReport report, String name) {
    return report.getDependenciesList().stream().filter(d -> d.getName().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void probesReportsAndServesHealthReadinessAndMetrics() throws Exception {
    try (TestReplica replica = new TestReplica().start()) {
      String yaml = """
          deployment: acme-voice
          region: us-east
          agentId: us-east-it
          reportInterval: 300ms
          readyWindow: 5s
          http: { port: 0 }
          controlPlane: { replicas: ["%s"], reconnectInitial: 50ms, reconnectMax: 500ms, plaintext: true }
          probes:
            - name: openai
              interval: 300ms
              timeout: 250ms
              degradedAbove: 200ms
              recoverAfter: 1
              llm: { baseUrl: "%s", apiKey: env:STANDIN_KEY }
            - name: db
              interval: 300ms
              timeout: 250ms
              degradedAbove: 200ms
              recoverAfter: 1
              postgres: { jdbcUrl: "%s", user: %s }
            - name: cache
              interval: 300ms
              timeout: 250ms
              degradedAbove: 200ms
              failAfter: 1
              recoverAfter: 1
              redis: { uri: "%s", probeKey: "dialtone:probe" }
          vantage:
            - { region: us-west, uri: "%s", interval: 300ms, timeout: 250ms, recoverAfter: 1 }
          """.formatted(replica.target(), llm.peer().baseUrl(), pg.peer().jdbcUrl(), PostgresServer.USER, redis.peer().uri(),
              westEdge.peer().sipUri());
      Map<String, String> env = Map.of("STANDIN_KEY", llm.peer().apiKey());
      AgentConfig config = AgentConfig.loader(env).parse("agent.yaml", yaml);

      try (RegionAgent agent = RegionAgent.create(config)) {
        agent.start();
        assertThat(get(agent, "/healthz").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> get(agent, "/readyz").statusCode() == 200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !replica.received().isEmpty() && latest(replica).getReady());
        HealthReport report = latest(replica);
        assertThat(report.getDeployment()).isEqualTo("acme-voice");
        assertThat(report.getAgentId()).isEqualTo("us-east-it");
        assertThat(report.getIncarnation()).isNotZero();
        assertThat(report.getProbeInterval().getNanos()).isEqualTo(300_000_000);
        assertThat(report.getDependenciesList()).extracting(DependencyResult::getStatus).containsOnly(HealthStatus.HEALTH_STATUS_UP);
        assertThat(replica.received()).extracting(r -> r.report().getSequence()).isSorted().doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(5)).until(() -> latest(replica).getVantageCount() == 1
            && latest(replica).getVantage(0).getStatus() == HealthStatus.HEALTH_STATUS_UP);
        assertThat(latest(replica).getVantage(0).getTargetRegion()).isEqualTo("us-west");
        assertThat(latest(replica).getDependenciesList()).hasSize(3);

        String metrics = get(agent, "/metrics").body();
        assertThat(metrics).contains("# TYPE dialtone_probe_status gauge", "dialtone_probe_status{probe=\"cache\",region=\"us-east\"} 1.0",
            "# TYPE dialtone_probe_latency_seconds summary", "dialtone_probe_latency_seconds_count{probe=\"db\",region=\"us-east\"}",
            "dialtone_agent_reports_sent_total{region=\"us-east\",replica=\"" + replica.target() + "\"}",
            "dialtone_agent_ready{region=\"us-east\"} 1.0", "# TYPE jvm_memory_used_bytes gauge");
        assertThat(dev.dialtone.testkit.Promtool.checkMetrics(metrics)).as("the agent's /metrics").isEmpty();

        redis.peer().stop();
        await().atMost(Duration.ofSeconds(3)).until(() -> dependency(latest(replica), "cache").getStatus() == HealthStatus.HEALTH_STATUS_DOWN);
        assertThat(latest(replica).getReady()).isFalse();
        HttpResponse<String> notReady = get(agent, "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).contains("\"ready\":false", "cache: DOWN");

        redis.peer().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> get(agent, "/readyz").statusCode() == 200);
      }
    }
  }

  @Test
  void aProbeNowDirectiveRunsEveryProbeAtOnce() throws Exception {
    try (TestReplica replica = new TestReplica().start()) {
      String yaml = """
          deployment: acme-voice
          region: us-east
          http: { port: 0 }
          controlPlane: { replicas: ["%s"], reconnectInitial: 50ms, reconnectMax: 500ms, plaintext: true }
          probes:
            - name: cache
              interval: 1h
              timeout: 300ms
              degradedAbove: 200ms
              failAfter: 1
              recoverAfter: 1
              redis: { uri: "%s" }
          """.formatted(replica.target(), redis.peer().uri());
      AgentConfig config = AgentConfig.loader(Map.of()).parse("agent.yaml", yaml);
      try (RegionAgent agent = RegionAgent.create(config)) {
        agent.start();
        // The first attempt at start may be slow (a cold JVM); ask again until the cache is UP.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
          replica.probeNow("warm up");
          return !replica.received().isEmpty()
              && dependency(latest(replica), "cache").getStatus() == HealthStatus.HEALTH_STATUS_UP;
        });
        redis.peer().stop();
        try {
          // The next scheduled round is an hour away; only the directive can reveal the outage.
          replica.probeNow("confirm us-east cache");
          await().atMost(Duration.ofSeconds(3))
              .until(() -> dependency(latest(replica), "cache").getStatus() == HealthStatus.HEALTH_STATUS_DOWN);
        } finally {
          redis.peer().start();
        }
      }
    }
  }
}
