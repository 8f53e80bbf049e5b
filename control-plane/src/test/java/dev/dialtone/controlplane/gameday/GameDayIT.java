package dev.dialtone.controlplane.gameday;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.multibindings.Multibinder;
import com.google.protobuf.Timestamp;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.fault.FaultInjector;
import dev.dialtone.chaos.fault.ToxicLedger;
import dev.dialtone.chaos.fault.ZooKeeperLiveRuns;
import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.JsonReport;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.proto.v1.AbortDrillRequest;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.DrillRunState;
import dev.dialtone.proto.v1.FreezeRequest;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.GetDrillReportResponse;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.ListDrillsRequest;
import dev.dialtone.proto.v1.ReportFormat;
import dev.dialtone.proto.v1.RunDrillRequest;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.llm.OpenAiStandIn;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import eu.rekawek.toxiproxy.Proxy;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Game days on three real replicas (one JVM, real ZooKeeper ensemble, real Toxiproxy in front of
 * an LLM stand-in): drills run through the admin API on the leader, break the path the test's
 * agent probes, and the control plane's failover shows up in the stored report.
 */
class GameDayIT {
  @RegisterExtension static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);
  @RegisterExtension static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);
  @RegisterExtension static final PeerExtension<OpenAiStandIn> llm = PeerExtension.of(OpenAiStandIn::new);

  private static final AtomicInteger deployments = new AtomicInteger();
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);

  @TempDir Path drills;
  final FencingActuator carrier = new FencingActuator("carrier/test", EpochGuard.none());
  final FencingActuator dns = new FencingActuator("dns/test", EpochGuard.none());
  /** What the lab's call generator would be: one source shared by the three replicas. */
  final CallLog calls = new CallLog();
  final List<AutoCloseable> closeables = new ArrayList<>();
  final List<ControlPlaneReplica> replicas = new ArrayList<>();
  final AtomicLong sequence = new AtomicLong();
  final ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();
  String deployment;
  CuratorFramework observer;
  Proxy proxy;
  int proxyPort;

  static final class CallLog implements ExtraDrillEvents {
    final List<TimelineEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public List<TimelineEvent> since(Instant after) {
      return events.stream().filter(e -> e.at().isAfter(after)).toList();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    deployment = "gameday-it-" + deployments.incrementAndGet();
    proxy = toxiproxy.peer().proxy("us-east-llm", "127.0.0.1:" + llm.peer().port());
    proxyPort = ToxiproxyServer.listenPort(proxy);
    observer = zk.peer().newClient();
    observer.start();
    closeables.add(observer);
    Files.writeString(drills.resolve("llm-timeout.yaml"), """
        name: llm-timeout
        region: us-east
        target: { kind: LLM, dependency: llm }
        faults:
          - type: timeout
            timeout: 0ms
        duration: 3s
        expectations:
          shifted_within: 10s
          failed_back_within: 20s
          no_failed_lab_calls: false
        guardrails:
          max_duration: 1m
        """);
    Files.writeString(drills.resolve("llm-long.yaml"), """
        name: llm-long
        region: us-east
        target: { kind: LLM, dependency: llm }
        faults:
          - type: timeout
            timeout: 0ms
        duration: 5m
        expectations:
          no_failed_lab_calls: false
          no_outage_mode: false
        guardrails:
          max_duration: 10m
          abort_on_breach: false
        """);
  }

  @AfterEach
  void tearDown() throws Exception {
    agents.shutdownNow();
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    proxy.delete();
  }

  // ---- the tests --------------------------------------------------------------------------------

  @Test
  void aDrillRunThroughTheLeadersAdminApiShiftsTrafficFailsBackAndStoresItsReport() throws Exception {
    ControlPlaneReplica leader = startThreeAndFeedThem();
    ControlPlaneReplica follower = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();

    assertThatThrownBy(() -> admin(follower).runDrill(RunDrillRequest.newBuilder().setName("llm-timeout").build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).contains("the leader is " + leader.replica().config().replicaId());
        });
    assertThat(admin(leader).listDrills(ListDrillsRequest.getDefaultInstance()).getDrillsList())
        .extracting(d -> d.getName()).containsExactly("llm-long", "llm-timeout");

    String runId = admin(leader).runDrill(RunDrillRequest.newBuilder().setName("llm-timeout").setReason("monthly game day").build())
        .getRun().getRunId();

    GetDrillReportResponse done = awaitEnd(leader, runId, Duration.ofSeconds(45));
    DrillReport report = JsonReport.parse(done.getBody().getBytes(StandardCharsets.UTF_8));
    // The carrier and DNS steps of a plan run side by side: each follows the decision, in either order.
    for (EventKind shifted : List.of(EventKind.CARRIER_SHIFTED, EventKind.DNS_SHIFTED)) {
      assertThat(report.timeline()).extracting(TimelineEvent::kind).containsSubsequence(
          EventKind.FAULT_INJECTED, EventKind.FIRST_FAILED_PROBE, EventKind.REGION_DOWN, EventKind.DECISION,
          shifted, EventKind.HEALED, EventKind.FAILED_BACK, EventKind.FINISHED);
    }
    assertThat(report.timeline()).extracting(TimelineEvent::kind).as("the lab's shared source, bound by multibinding")
        .contains(EventKind.LAB_CALL_FAILED);
    assertThat(done.getRun().getState()).as(report.reason()).isEqualTo(DrillRunState.DRILL_RUN_STATE_PASSED);
    assertThat(proxy.toxics().getAll()).isEmpty();

    // Stored in ZooKeeper (just after the run ends): any replica renders it, in every format.
    await().atMost(Duration.ofSeconds(5)).ignoreException(StatusRuntimeException.class)
        .until(() -> admin(follower).getDrillReport(GetDrillReportRequest.newBuilder().setRunId(runId).build()).hasRun());
    GetDrillReportResponse html = admin(follower).getDrillReport(
        GetDrillReportRequest.newBuilder().setRunId(runId).setFormat(ReportFormat.REPORT_FORMAT_HTML).build());
    assertThat(html.getContentType()).isEqualTo("text/html");
    assertThat(html.getBody()).contains("<svg").contains(runId);
    assertThat(admin(follower).getDrillReport(GetDrillReportRequest.newBuilder().setRunId(runId)
        .setFormat(ReportFormat.REPORT_FORMAT_MARKDOWN).build()).getBody()).contains("llm-timeout");
    assertThat(admin(follower).listDrills(ListDrillsRequest.getDefaultInstance()).getDrillsList())
        .filteredOn(d -> d.getName().equals("llm-timeout")).singleElement()
        .satisfies(d -> assertThat(d.getLastRun().getRunId()).isEqualTo(runId));
    assertThat(leader.replica().store().history(200, "", "").entries())
        .filteredOn(e -> e.kind() == HistoryKind.DRILL)
        .extracting(e -> e.summary() + " / " + e.reason())
        .contains("drill llm-timeout started as run " + runId + " / monthly game day")
        .anyMatch(s -> s.startsWith("drill llm-timeout run " + runId + " ended PASSED"));
  }

  @Test
  void aDrillWhosePreflightFailsNeverInjects() throws Exception {
    ControlPlaneReplica leader = startThreeAndFeedThem();
    admin(leader).freeze(FreezeRequest.newBuilder().setReason("change window").build());

    String runId = admin(leader).runDrill(RunDrillRequest.newBuilder().setName("llm-timeout").setReason("try").build())
        .getRun().getRunId();

    GetDrillReportResponse done = awaitEnd(leader, runId, Duration.ofSeconds(10));
    assertThat(done.getRun().getState()).isEqualTo(DrillRunState.DRILL_RUN_STATE_SKIPPED);
    assertThat(done.getRun().getReason()).contains("the deployment is frozen");
    DrillReport report = JsonReport.parse(done.getBody().getBytes(StandardCharsets.UTF_8));
    assertThat(report.timeline()).extracting(TimelineEvent::kind)
        .contains(EventKind.PREFLIGHT_REFUSED).doesNotContain(EventKind.FAULT_INJECTED);
    assertThat(proxy.toxics().getAll()).isEmpty();
    assertThat(ledger().list()).isEmpty();
  }

  @Test
  void theLeaderClosedMidDrillLeavesNoToxicBehindOnceANewLeaderIsUp() throws Exception {
    ControlPlaneReplica leader = startThreeAndFeedThem();
    String runId = admin(leader).runDrill(RunDrillRequest.newBuilder().setName("llm-long").setReason("handover drill").build())
        .getRun().getRunId();
    await().atMost(Duration.ofSeconds(10)).until(() -> !proxy.toxics().getAll().isEmpty());
    assertThatThrownBy(() -> admin(leader).abortDrill(AbortDrillRequest.newBuilder().setRunId(runId).build()))
        .as("an abort needs a reason").isInstanceOf(StatusRuntimeException.class).hasMessageContaining("reason is required");

    leader.close();

    ControlPlaneReplica next = awaitLeader(replicas.stream().filter(r -> r != leader).toList());
    assertThat(next).isNotSameAs(leader);
    await().atMost(Duration.ofSeconds(15)).until(() -> proxy.toxics().getAll().isEmpty() && ledger().list().isEmpty());
    assertThat(probe()).as("the LLM path works again").isTrue();
  }

  @Test
  void aNewLeaderHealsTheToxicsOfALeaderThatDiedMidDrill() throws Exception {
    // A leader that crashed mid-drill: its toxic is in Toxiproxy and in the ledger, its session is gone.
    CuratorFramework crashed = zk.peer().newClient();
    crashed.start();
    DrillZnodes znodes = new DrillZnodes(deployment);
    new FaultInjector(toxiproxy.peer().client(), new ToxicLedger(crashed, znodes), new ZooKeeperLiveRuns(crashed, znodes),
        java.time.Clock.systemUTC())
        .inject("llm-timeout-1", 0, "us-east-llm", List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)));
    crashed.close();
    assertThat(proxy.toxics().getAll()).hasSize(1);

    startThreeAndFeedThem(); // needs us-east healthy: only after the new leader's sweep

    assertThat(proxy.toxics().getAll()).isEmpty();
    assertThat(ledger().list()).isEmpty();
  }

  // ---- the world --------------------------------------------------------------------------------

  /** Starts three replicas, feeds all of them both regions' reports, and waits for the first placement. */
  private ControlPlaneReplica startThreeAndFeedThem() throws Exception {
    for (int i = 1; i <= 3; i++) {
      replicas.add(start("cp-" + i));
    }
    List<AgentStream> streams = new ArrayList<>();
    for (ControlPlaneReplica r : replicas) {
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
      closeables.add(ch::shutdownNow);
      streams.add(new AgentStream(ch));
    }
    agents.scheduleWithFixedDelay(() -> {
      HealthStatus east = probe() ? HealthStatus.HEALTH_STATUS_UP : HealthStatus.HEALTH_STATUS_DOWN;
      if (east == HealthStatus.HEALTH_STATUS_DOWN) {
        calls.events.add(new TimelineEvent(Instant.now(), EventKind.LAB_CALL_FAILED, "LLM timed out"));
      }
      HealthReport e = report("us-east", east);
      HealthReport w = report("us-west", HealthStatus.HEALTH_STATUS_UP);
      for (AgentStream s : streams) {
        try {
          s.send(e);
          s.send(w);
        } catch (RuntimeException closed) {
          // that replica was closed by the test
        }
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
    ControlPlaneReplica leader = awaitLeader(replicas);
    await().atMost(Duration.ofSeconds(20)).until(() -> dns.routing().equals("us-east > us-west")
        && carrier.routing().equals("us-east > us-west"));
    // The first placement comes from the registered regions; the preflight needs the leader to have seen them UP.
    await().atMost(Duration.ofSeconds(10)).until(() -> admin(leader).getStatus(GetStatusRequest.getDefaultInstance())
        .getRegionsList().stream().filter(r -> r.getHealth() == HealthStatus.HEALTH_STATUS_UP && r.getReady()).count() == 2);
    return leader;
  }

  private ControlPlaneReplica start(String id) throws Exception {
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("it.yaml", """
        deployment: %s
        replicaId: %s
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        policy: { failAfter: 2, recoverAfter: 2, holdDown: 0s, staleAfter: 3s, failback: { mode: AUTOMATIC, healthyFor: 1s } }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com" } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com" } }
        chaos:
          toxiproxy: "http://127.0.0.1:%d"
          drills: "%s"
          orphanSweepInterval: 1s
        """.formatted(deployment, id, zk.peer().connectString(), toxiproxy.peer().apiPort(), drills));
    ControlPlaneReplica r = new ControlPlaneReplica(config, binder -> {
      Multibinder<TrafficActuator> set = Multibinder.newSetBinder(binder, TrafficActuator.class);
      set.addBinding().toInstance(carrier);
      set.addBinding().toInstance(dns);
      Multibinder.newSetBinder(binder, ExtraDrillEvents.class).addBinding().toInstance(calls);
    }).start();
    closeables.add(r);
    return r;
  }

  private static ControlPlaneReplica awaitLeader(List<ControlPlaneReplica> among) {
    List<ControlPlaneReplica> found = new ArrayList<>();
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      found.clear();
      among.stream().filter(r -> r.replica().loop().epoch() > 0).forEach(found::add);
      return found.size() == 1;
    });
    return found.get(0);
  }

  private GetDrillReportResponse awaitEnd(ControlPlaneReplica at, String runId, Duration within) {
    List<GetDrillReportResponse> last = new ArrayList<>(List.of(GetDrillReportResponse.getDefaultInstance()));
    await().atMost(within).pollInterval(Duration.ofMillis(200)).until(() -> {
      GetDrillReportResponse r = admin(at).getDrillReport(GetDrillReportRequest.newBuilder().setRunId(runId).build());
      last.set(0, r);
      return JsonReport.parse(r.getBody().getBytes(StandardCharsets.UTF_8)).state().isFinal();
    });
    return last.get(0);
  }

  private ToxicLedger ledger() {
    return new ToxicLedger(observer, new DrillZnodes(deployment));
  }

  private AdminServiceGrpc.AdminServiceBlockingStub admin(ControlPlaneReplica r) {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
    closeables.add(ch::shutdownNow);
    return AdminServiceGrpc.newBlockingStub(ch).withDeadlineAfter(Duration.ofSeconds(30));
  }

  /** The agent's LLM probe: an HTTP request through the proxy, answered within the probe timeout. */
  private boolean probe() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", proxyPort), (int) PROBE_TIMEOUT.toMillis());
      s.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(("GET /v1/models HTTP/1.0\r\nHost: llm\r\nAuthorization: Bearer " + llm.peer().apiKey() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = in.readNBytes(12);
      return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200") || new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.0 200");
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /**
   * One agent connection to one replica, reopened when the replica ends it (as a real agent does:
   * a replica refuses reports for regions it has not yet read from ZooKeeper by ending the stream).
   */
  private static final class AgentStream {
    private final ManagedChannel channel;
    private StreamObserver<HealthReport> out;
    private volatile boolean ended = true;

    AgentStream(ManagedChannel channel) {
      this.channel = channel;
    }

    synchronized void send(HealthReport report) {
      if (ended) {
        ended = false;
        out = AgentServiceGrpc.newStub(channel).report(new StreamObserver<Directive>() {
          @Override public void onNext(Directive d) {}
          @Override public void onError(Throwable t) { ended = true; }
          @Override public void onCompleted() { ended = true; }
        });
      }
      out.onNext(report);
    }
  }

  private HealthReport report(String region, HealthStatus llmStatus) {
    Instant now = Instant.now();
    return HealthReport.newBuilder().setDeployment(deployment).setRegion(region).setAgentId("agent-" + region)
        .setIncarnation(1).setSequence(sequence.incrementAndGet())
        .setObservedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setReady(true)
        .addDependencies(DependencyResult.newBuilder().setName("db").setKind(DependencyKind.DEPENDENCY_KIND_DB)
            .setStatus(HealthStatus.HEALTH_STATUS_UP).setCritical(true))
        .addDependencies(DependencyResult.newBuilder().setName("llm").setKind(DependencyKind.DEPENDENCY_KIND_LLM)
            .setStatus(llmStatus).setCritical(true))
        .build();
  }
}
