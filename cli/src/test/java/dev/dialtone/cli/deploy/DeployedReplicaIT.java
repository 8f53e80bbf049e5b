package dev.dialtone.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.peers.dialtone.DialtoneProcess;
import dev.dialtone.peers.kamailio.KamailioServer;
import dev.dialtone.peers.moto.MotoServer;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.peers.sipp.SippUac;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.peers.twilio.TwilioApiStandIn;
import dev.dialtone.peers.zookeeper.ZooKeeperServers;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.FreezeRequest;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.PlanState;
import dev.dialtone.proto.v1.PlanStep;
import dev.dialtone.proto.v1.PlanSummary;
import dev.dialtone.proto.v1.RegionStatus;
import dev.dialtone.proto.v1.SwitchoverRequest;
import dev.dialtone.proto.v1.SwitchoverResponse;
import dev.dialtone.proto.v1.UnfreezeRequest;
import dev.dialtone.testkit.PeerExtension;
import eu.rekawek.toxiproxy.Proxy;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;

/**
 * A deployment as an operator writes it, nothing wired in Java: two control-plane replicas, each
 * its own JVM started with {@code dialtone control-plane --config cp-N.yaml}, and one region agent
 * per region ({@code dialtone agent --config agent-<region>.yaml}) whose only probe is SIP OPTIONS
 * to its region's edge (a SIPp UAS). The replicas' files drive Route 53 (moto's server, a LOCAL
 * STAND-IN for Route 53, through an endpoint override and credentials from the environment) in
 * place of BIND, and two carriers in every plan: a real Kamailio (its JSON-RPC reached through a
 * Toxiproxy proxy, so the link can be cut) and Twilio's Elastic SIP Trunking API (the labelled
 * {@link TwilioApiStandIn}, not Twilio). The test writes the files, starts the processes and looks
 * only from outside: the admin API, moto's record sets, Kamailio's {@code dispatcher.list}, the
 * stand-in's origination URLs and SIPp calls.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployedReplicaIT {
  private static final String DEPLOYMENT = "deploy-it";
  private static final String EAST = "us-east";
  private static final String WEST = "us-west";
  private static final String EAST_A = "127.0.1.1";
  private static final String WEST_A = "127.0.2.1";
  private static final String ZONE = "voice.test.";
  private static final String RECORD = "call." + ZONE;
  private static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
  private static final String TRUNK = "TK" + "fedcba9876543210".repeat(2);
  private static final String API_KEY = "SK" + "11111111".repeat(4);
  private static final String API_SECRET = "deploy-it-twilio-secret";
  private static final String KAMAILIO = "apply carrier/kamailio";
  private static final String TWILIO = "apply carrier/twilio";
  private static final String ROUTE53 = "apply dns/route53";
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension @Order(1) static final PeerExtension<ZooKeeperServers> zookeeper = PeerExtension.of(dir ->
      new ZooKeeperServers(dir, 1, Duration.ofMillis(500), DialtoneProcess.jvmOptions("zookeeper")));
  @RegisterExtension @Order(2) static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);
  @RegisterExtension @Order(3) static final PeerExtension<MotoServer> moto = PeerExtension.of(MotoServer::new);
  @RegisterExtension @Order(4) static final PeerExtension<SippUas> eastEdge = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(5) static final PeerExtension<SippUas> westEdge = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(6) static final PeerExtension<KamailioServer> kamailio = PeerExtension.of(dir ->
      new KamailioServer(dir, 1, List.of(eastEdge.peer().sipUri(), westEdge.peer().sipUri())));

  @TempDir static Path work;
  private static TwilioApiStandIn twilio;
  private static Route53Client route53;
  private static String hostedZoneId;
  private static Proxy kamailioRpc;
  private static final Map<String, Replica> replicas = new LinkedHashMap<>();
  private static final List<DialtoneProcess> processes = new ArrayList<>();

  /** A failing test keeps every Dialtone process's log and file under target/peer-logs/DeployedReplicaIT/. */
  @RegisterExtension
  static final AfterTestExecutionCallback keepLogs = context -> {
    if (context.getExecutionException().isPresent()) {
      keepLogs(context.getRequiredTestMethod().getName());
    }
  };

  private static void keepLogs(String label) throws IOException {
    Path kept = Path.of("target", "peer-logs", DeployedReplicaIT.class.getSimpleName());
    Files.createDirectories(kept);
    try (Stream<Path> files = Files.list(work)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".yaml")).toList()) {
        Files.copy(f, kept.resolve(label + "-" + f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** A replica process and an operator's channel to its admin API. */
  private record Replica(String id, Path config, DialtoneProcess process, ManagedChannel channel) {
    AdminServiceGrpc.AdminServiceBlockingStub admin(Duration deadline) {
      return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @BeforeAll
  static void deploy() throws Exception {
    try {
      startDeployment();
    } catch (Exception | Error e) {
      keepLogs("deploy");
      throw e;
    }
  }

  private static void startDeployment() throws Exception {
    long t0 = System.nanoTime();
    twilio = new TwilioApiStandIn(ACCOUNT, TRUNK, API_KEY, API_SECRET);
    route53 = Route53Client.builder().endpointOverride(moto.peer().endpoint()).region(Region.AWS_GLOBAL)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
        .httpClient(UrlConnectionHttpClient.create()).build();
    // The operator's own step before any replica runs: the hosted zone exists.
    hostedZoneId = route53.createHostedZone(r -> r.name(ZONE).callerReference("deploy-it")).hostedZone().id()
        .replaceFirst("^/hostedzone/", "");
    kamailioRpc = toxiproxy.peer().proxy("kamailio-rpc", kamailio.peer().rpcUrl().replaceAll("^http://([^/]+)/.*$", "$1"));

    // Secrets and AWS credentials reach the replicas through their environment, as on a host.
    Map<String, String> replicaEnv = Map.of(
        "AWS_ACCESS_KEY_ID", "testing", "AWS_SECRET_ACCESS_KEY", "testing", "AWS_EC2_METADATA_DISABLED", "true",
        "KAMAILIO_RPC_TOKEN", kamailio.peer().rpcToken(), "KAMAILIO_DB_PASSWORD", kamailio.peer().databasePassword(),
        "TWILIO_API_SECRET", API_SECRET);
    List<String> replicaAddresses = new ArrayList<>();
    for (String id : List.of("cp-1", "cp-2")) {
      int grpcPort = FreePorts.tcpAndUdp();
      Path file = Files.writeString(work.resolve(id + ".yaml"), replicaFile(id, grpcPort, FreePorts.tcpAndUdp()));
      DialtoneProcess p = started(DialtoneProcess.start(id, "control-plane", List.of("control-plane", "--config",
          file.toString()), work, replicaEnv, work.resolve(id + ".log")));
      replicas.put(id, new Replica(id, file, p,
          NettyChannelBuilder.forAddress("127.0.0.1", grpcPort, InsecureChannelCredentials.create()).build()));
      replicaAddresses.add("127.0.0.1:" + grpcPort);
    }
    await("every replica answering, a leader elected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .failFast("a Dialtone process exited (logs kept under target/peer-logs)", () -> processes.stream().anyMatch(p -> !p.isAlive()))
        .ignoreExceptions().until(() -> {
          for (Replica r : replicas.values()) {
            r.admin(Duration.ofSeconds(2)).getStatus(GetStatusRequest.getDefaultInstance());
          }
          return leader().isPresent();
        });
    // The first placement routes to the regions that are UP and ready when it is made, so the
    // operator freezes the control plane while the regions come up, then lets it place.
    leader().orElseThrow().admin(Duration.ofSeconds(10)).freeze(FreezeRequest.newBuilder()
        .setReason("DeployedReplicaIT: bring-up, place once every region reports").build());
    startAgent(EAST, eastEdge.peer(), replicaAddresses);
    startAgent(WEST, westEdge.peer(), replicaAddresses);
    awaitRegionsUp(Duration.ofSeconds(45));
    leader().orElseThrow().admin(Duration.ofSeconds(10)).unfreeze(UnfreezeRequest.newBuilder()
        .setReason("DeployedReplicaIT: every region is up").build());
    awaitCommitted(EAST, Duration.ofSeconds(30));
    System.out.printf("DeployedReplicaIT: deployment up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private static void startAgent(String region, SippUas edge, List<String> replicaAddresses) throws IOException {
    Path file = Files.writeString(work.resolve("agent-" + region + ".yaml"),
        agentFile(region, edge.port(), replicaAddresses, FreePorts.tcpAndUdp()));
    started(DialtoneProcess.start("agent-" + region, "agent", List.of("agent", "--config", file.toString()), work,
        Map.of(), work.resolve("agent-" + region + ".log")));
  }

  private static DialtoneProcess started(DialtoneProcess p) {
    processes.add(p);
    return p;
  }

  @AfterAll
  static void tearDown() {
    replicas.values().forEach(r -> r.channel().shutdownNow());
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close(); // agents first, then the replicas
    }
    if (route53 != null) {
      route53.close();
    }
    if (twilio != null) {
      twilio.close();
    }
  }

  // ---- the files an operator writes --------------------------------------------------------------

  private static String replicaFile(String id, int grpcPort, int httpPort) {
    return """
        # A control-plane replica of the DeployedReplicaIT deployment: dialtone control-plane --config %1$s.yaml
        deployment: %2$s
        replicaId: %1$s
        zookeeper: { connect: "%3$s", sessionTimeout: 3s, connectionTimeout: 2s }
        grpc: { port: %4$d, address: 127.0.0.1 }
        http: { port: %5$d }
        tick: 100ms
        plans: { attemptTimeout: 3s, stepBudget: 4s, initialBackoff: 100ms, maxBackoff: 500ms }
        policy: { mode: AUTO, failAfter: 1, recoverAfter: 1, holdDown: 1s, failback: { mode: MANUAL }, staleAfter: 3s }
        regions:
          - { id: %6$s, priority: 1, edge: { a: [%7$s], sip: "%8$s" } }
          - { id: %9$s, priority: 2, edge: { a: [%10$s], sip: "%11$s" } }
        dns:
          provider:
            route53: { hostedZoneId: %12$s, zone: "%13$s", endpoint: "%14$s", syncTimeout: 1s, pollInterval: 100ms }
          records: [ { name: "%15$s", type: A, ttl: 5s } ]
          ownerTtl: 5s
        carrier:
          - kamailio:
              rpcUrl: "http://127.0.0.1:%16$d/RPC"
              rpcToken: "env:KAMAILIO_RPC_TOKEN"
              database: { jdbcUrl: "%17$s", user: %18$s, password: "env:KAMAILIO_DB_PASSWORD" }
              setId: 1
              rpcTimeout: 1s
          - twilio:
              accountSid: %19$s
              trunkSid: %20$s
              apiKeySid: %21$s
              apiKeySecret: "env:TWILIO_API_SECRET"
              trunkingApi: "%22$s"
              restApi: "%22$s"
              requestTimeout: 2s
        fallback:
          destinations: [ { voicemail: "sip:voicemail@127.0.0.1:5999" } ]
        security: { plaintext: true }
        """.formatted(id, DEPLOYMENT, zookeeper.peer().connectString(), grpcPort, httpPort,
        EAST, EAST_A, eastEdge.peer().sipUri(), WEST, WEST_A, westEdge.peer().sipUri(),
        hostedZoneId, ZONE, moto.peer().endpoint(), RECORD,
        ToxiproxyServer.listenPort(kamailioRpc), kamailio.peer().jdbcUrl(), kamailio.peer().databaseUser(),
        ACCOUNT, TRUNK, API_KEY, twilio.url());
  }

  private static String agentFile(String region, int edgePort, List<String> replicaAddresses, int httpPort) {
    return """
        # The region agent of %1$s: dialtone agent --config agent-%1$s.yaml
        deployment: %2$s
        region: %1$s
        reportInterval: 250ms
        warmUp: 2s
        http: { port: %3$d }
        controlPlane: { replicas: [%4$s], plaintext: true, keepAliveTime: 2s, keepAliveTimeout: 1s }
        probes:
          - { name: carrier, sip: { uri: "sip:127.0.0.1:%5$d" }, interval: 250ms, timeout: 200ms, degradedAbove: 150ms,
              failAfter: 1, recoverAfter: 1 }
        """.formatted(region, DEPLOYMENT, httpPort, String.join(", ", replicaAddresses), edgePort);
  }

  // ---- the tests ---------------------------------------------------------------------------------

  @Test
  @Order(1)
  void replicasStartedFromTheirFilesAloneMakeTheFirstPlacementThroughRoute53KamailioAndTwilio() throws Exception {
    assertThat(replicas.values()).allSatisfy(r -> {
      assertThat(r.process().pid()).isPresent().get().isNotEqualTo(ProcessHandle.current().pid());
      assertThat(Files.readString(r.config())).contains("route53:").contains("kamailio:").contains("twilio:");
    });
    GetStatusResponse status = status();
    assertThat(status.getPlacement().getActiveRegion()).isEqualTo(EAST);
    assertThat(status.getPlanInFlight().getDescription()).isEqualTo("route " + EAST + " > " + WEST);
    assertThat(status.getPlanInFlight().getStepsList()).extracting(PlanStep::getName)
        .containsExactlyInAnyOrder(KAMAILIO, TWILIO, ROUTE53);

    assertThat(route53A()).containsExactly(EAST_A);
    assertThat(dispatcherOrder()).containsExactly(eastEdge.peer().sipUri(), westEdge.peer().sipUri());
    assertThat(twilioOrder()).containsExactly(EAST, WEST);
  }

  @Test
  @Order(2)
  void anEdgeAnswering503MovesRoute53KamailioAndTwilioToTheOtherRegionInOnePlan() throws Exception {
    String before = status().getPlanInFlight().getPlanId();
    eastEdge.peer().setMode(SippUas.Mode.SERVICE_UNAVAILABLE);

    PlanSummary plan = awaitCommitted(WEST, Duration.ofSeconds(20));

    assertThat(plan.getPlanId()).isNotEqualTo(before);
    assertThat(plan.getStepsList()).extracting(PlanStep::getName, PlanStep::getState).containsExactlyInAnyOrder(
        tuple(KAMAILIO, PlanState.PLAN_STATE_SUCCEEDED),
        tuple(TWILIO, PlanState.PLAN_STATE_SUCCEEDED),
        tuple(ROUTE53, PlanState.PLAN_STATE_SUCCEEDED));
    // The plan routes to the regions that can serve: us-west alone while us-east answers 503.
    assertThat(plan.getDescription()).isEqualTo("route " + WEST);
    assertThat(route53A()).as("moto's record set, read back with the SDK").containsExactly(WEST_A);
    assertThat(dispatcherOrder()).containsExactly(westEdge.peer().sipUri());
    assertThat(twilioOrder()).containsExactly(WEST);
    ObjectNode west = twilioManaged(WEST);
    assertThat(west.path("sip_url").asText()).isEqualTo(westEdge.peer().sipUri());
    assertThat(west.path("priority").asInt()).as("was 20 as the standby").isEqualTo(10);
    assertThat(west.path("enabled").asBoolean()).isTrue();
    assertThat(west.path("friendly_name").asText()).endsWith(":" + plan.getPlanId());
    assertThat(twilioManaged(EAST).path("enabled").asBoolean()).isFalse();

    // us-east heals, failback is MANUAL: a call through Kamailio still lands in us-west, where the
    // plan routed it, though us-east answers again.
    eastEdge.peer().setMode(SippUas.Mode.OK);
    awaitRegionsUp(Duration.ofSeconds(20));
    long eastInvites = eastEdge.peer().invitesReceived();
    long westAnswered = westEdge.peer().answeredCalls();

    SippUac.Result call = new SippUac(work.resolve("uac-west")).calling("+15550100001")
        .call(kamailio.peer().sipPort(), 1, 1, Duration.ofSeconds(15));

    assertThat(call.answered()).isEqualTo(1);
    assertThat(westEdge.peer().answeredCalls()).isEqualTo(westAnswered + 1);
    assertThat(eastEdge.peer().invitesReceived()).isEqualTo(eastInvites);
    assertThat(status().getPlacement().getActiveRegion()).isEqualTo(WEST);
  }

  @Test
  @Order(3)
  void withKamailiosRpcCutASwitchoverStillShiftsRoute53AndTwilioAndTheKamailioStepLagsUntilItIsBack() throws Exception {
    assertThat(status().getPlacement().getActiveRegion()).isEqualTo(WEST);
    // us-east answers again (the previous test): it rejoins the fallback order behind us-west.
    await().atMost(Duration.ofSeconds(15)).until(() -> status().getPlacement().getStandbyRegionsList().contains(EAST)
        && status().getPlanInFlight().getState() == PlanState.PLAN_STATE_SUCCEEDED);
    kamailioRpc.disable(); // the replicas' only way to Kamailio's JSON-RPC; its database stays reachable

    SwitchoverResponse response = leader().orElseThrow().admin(Duration.ofSeconds(30)).switchover(
        SwitchoverRequest.newBuilder().setToRegion(EAST).setReason("DeployedReplicaIT: back to us-east").build());

    String planId = response.getPlan().getPlanId();
    assertThat(response.getPlan().getState()).as(response.getReason()).isEqualTo(PlanState.PLAN_STATE_RUNNING);
    assertThat(route53A()).as("Route 53 shifted without waiting for Kamailio").containsExactly(EAST_A);
    assertThat(twilioOrder()).containsExactly(EAST, WEST);
    GetStatusResponse lagging = status();
    PlanSummary inFlight = lagging.getPlanInFlight();
    assertThat(inFlight.getPlanId()).isEqualTo(planId);
    assertThat(inFlight.getState()).isEqualTo(PlanState.PLAN_STATE_RUNNING);
    assertThat(step(inFlight, KAMAILIO).getError()).startsWith("lagging");
    assertThat(step(inFlight, ROUTE53).getState()).isEqualTo(PlanState.PLAN_STATE_SUCCEEDED);
    assertThat(step(inFlight, TWILIO).getState()).isEqualTo(PlanState.PLAN_STATE_SUCCEEDED);
    assertThat(lagging.getPlacement().getActiveRegion()).as("nothing committed while a step lags").isEqualTo(WEST);
    assertThat(dispatcherOrder()).as("Kamailio keeps serving what it was given")
        .containsExactly(westEdge.peer().sipUri(), eastEdge.peer().sipUri());
    // The plan stays in flight and the next ticks resume only the lagging step.
    int attempts = step(inFlight, KAMAILIO).getAttempts();
    await("the lagging Kamailio step resumed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
        .until(() -> step(status().getPlanInFlight(), KAMAILIO).getAttempts() > attempts);

    kamailioRpc.enable();

    PlanSummary done = awaitCommitted(EAST, Duration.ofSeconds(20));
    assertThat(done.getPlanId()).isEqualTo(planId);
    assertThat(done.getStepsList()).allSatisfy(s -> assertThat(s.getState()).isEqualTo(PlanState.PLAN_STATE_SUCCEEDED));
    assertThat(dispatcherOrder()).containsExactly(eastEdge.peer().sipUri(), westEdge.peer().sipUri());
    assertThat(route53A()).containsExactly(EAST_A);
    long eastAnswered = eastEdge.peer().answeredCalls();
    SippUac.Result call = new SippUac(work.resolve("uac-east")).calling("+15550100002")
        .call(kamailio.peer().sipPort(), 1, 1, Duration.ofSeconds(15));
    assertThat(call.answered()).isEqualTo(1);
    assertThat(eastEdge.peer().answeredCalls()).isEqualTo(eastAnswered + 1);
  }

  // ---- looking from outside ----------------------------------------------------------------------

  /** The status as the first answering replica sees it. */
  private static GetStatusResponse status() {
    StatusRuntimeException last = null;
    for (Replica r : replicas.values()) {
      try {
        return r.admin(Duration.ofSeconds(5)).getStatus(GetStatusRequest.getDefaultInstance());
      } catch (StatusRuntimeException e) {
        last = e;
      }
    }
    throw new IllegalStateException("no replica answers GetStatus", last);
  }

  private static Optional<Replica> leader() {
    return Optional.ofNullable(replicas.get(status().getLeaderId()));
  }

  private static PlanStep step(PlanSummary plan, String name) {
    return plan.getStepsList().stream().filter(s -> s.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no step " + name + " in " + plan));
  }

  private static void awaitRegionsUp(Duration timeout) {
    await("both regions UP and ready at the leader").atMost(timeout).pollInterval(Duration.ofMillis(200))
        .ignoreExceptions().until(() -> status().getRegionsList().stream()
            .filter(r -> r.getHealth() == HealthStatus.HEALTH_STATUS_UP && r.getReady()).map(RegionStatus::getId).toList()
            .containsAll(List.of(EAST, WEST)));
  }

  /** Waits for {@code region} to be active with the plan that put it there SUCCEEDED; returns that plan. */
  private static PlanSummary awaitCommitted(String region, Duration timeout) {
    return await(region + " active, its plan SUCCEEDED").atMost(timeout).pollInterval(Duration.ofMillis(100))
        .ignoreExceptions().until(DeployedReplicaIT::status, s -> region.equals(s.getPlacement().getActiveRegion())
            && s.getPlanInFlight().getState() == PlanState.PLAN_STATE_SUCCEEDED)
        .getPlanInFlight();
  }

  /** The A record set moto holds for {@link #RECORD}. */
  private static List<String> route53A() {
    return route53.listResourceRecordSets(r -> r.hostedZoneId(hostedZoneId).startRecordName(RECORD)
            .startRecordType(RRType.A).maxItems("1"))
        .resourceRecordSets().stream().filter(s -> s.name().equals(RECORD) && s.type() == RRType.A)
        .flatMap(s -> s.resourceRecords().stream()).map(ResourceRecord::value).toList();
  }

  /** Kamailio's dispatcher set 1 as it serves it ({@code dispatcher.list}), by descending priority. */
  private static List<String> dispatcherOrder() throws IOException, InterruptedException {
    return dispatcherTargets().stream().map(d -> d.path("URI").asText()).toList();
  }

  private static List<JsonNode> dispatcherTargets() throws IOException, InterruptedException {
    List<JsonNode> targets = new ArrayList<>();
    for (JsonNode record : JSON.readTree(kamailio.peer().rpc("dispatcher.list")).path("result").path("RECORDS")) {
      if (record.path("SET").path("ID").asInt() == 1) {
        record.path("SET").path("TARGETS").forEach(t -> targets.add(t.path("DEST")));
      }
    }
    targets.sort(Comparator.comparingInt((JsonNode d) -> d.path("PRIORITY").asInt()).reversed());
    return targets;
  }

  /** The stand-in's origination URL Dialtone manages for {@code region} (friendly name {@code dialtone:<region>:<epoch>:<plan>}). */
  private static ObjectNode twilioManaged(String region) {
    return twilio.originationUrls().stream().filter(u -> u.path("friendly_name").asText().startsWith("dialtone:" + region + ":"))
        .findFirst().orElseThrow(() -> new AssertionError("no origination URL for " + region + ": " + twilio.originationUrls()));
  }

  /** The regions the trunk originates to: its enabled Dialtone-managed URLs by priority (lower is preferred). */
  private static List<String> twilioOrder() {
    return twilio.originationUrls().stream()
        .filter(u -> u.path("enabled").asBoolean() && u.path("friendly_name").asText().startsWith("dialtone:"))
        .sorted(Comparator.comparingInt(u -> u.path("priority").asInt()))
        .map(u -> u.path("friendly_name").asText().split(":")[1]).toList();
  }
}
