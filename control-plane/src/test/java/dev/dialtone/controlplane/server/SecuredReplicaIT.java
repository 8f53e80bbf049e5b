package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.multibindings.Multibinder;
import com.google.protobuf.Timestamp;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.FailoverRequest;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.HistoryKind;
import dev.dialtone.proto.v1.ListHistoryRequest;
import dev.dialtone.proto.v1.PlanState;
import dev.dialtone.proto.v1.RegionEdge;
import dev.dialtone.proto.v1.RegionStatus;
import dev.dialtone.proto.v1.RegisterRegionRequest;
import dev.dialtone.proto.v1.SwitchoverRequest;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.security.tls.TlsFiles;
import dev.dialtone.security.tls.TransportSecurity;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica with mutual TLS, access control and ZooKeeper ACLs, on a real ensemble, called by real
 * gRPC clients holding certificates from a throwaway CA: each attempt fails for the right reason.
 */
class SecuredReplicaIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);
  private static final AtomicInteger RUN = new AtomicInteger();
  private static final Instant NOW = Instant.now();
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;
  final String deployment = "sec-it-" + RUN.incrementAndGet();
  final FencingActuator dns = new FencingActuator("dns/test", EpochGuard.none());
  final List<AutoCloseable> closeables = new ArrayList<>();
  final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor();
  final AtomicLong sequence = new AtomicLong();
  CertificateAuthority ca;
  Path trust;
  ControlPlaneReplica replica;

  @BeforeEach
  void startReplica() throws Exception {
    ca = CertificateAuthority.create("sec-it-ca", NOW, DAY, new SecureRandom());
    trust = ca.writeTrustBundle(dir.resolve("ca.crt"));
    var server = issue(SpiffeId.replica(deployment, "cp-1"), "cp-1");
    Path zkPassword = Files.writeString(dir.resolve("zk.password"), "zk-" + deployment + "\n");
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("secured.yaml", """
        deployment: %s
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20] } }
        security:
          tls: { certificate: "%s", key: "%s", trustBundle: "%s", refresh: 1s }
          access:
            certificates:
              "spiffe://%s/operator/vera": viewer
              "spiffe://%s/operator/otto": operator
              "spiffe://%s/operator/ada": admin
          zookeeper: { user: dialtone, password: "file:%s" }
        """.formatted(deployment, zk.peer().connectString(), server.certificateChain(), server.privateKey(), trust,
        deployment, deployment, deployment, zkPassword));
    replica = new ControlPlaneReplica(config, binder ->
        Multibinder.newSetBinder(binder, TrafficActuator.class).addBinding().toInstance(dns)).start();
    closeables.add(replica);
    // The first placement waits for a healthy region: us-east reports UP throughout.
    closeables.add(new dev.dialtone.controlplane.testing.HealthyAgent(channel(SpiffeId.agent(deployment, "us-east", "test-agent-us-east")),
        deployment, "us-east"));
    await().atMost(Duration.ofSeconds(15)).until(() -> replica.replica().store().placement().isPresent());
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
    reloads.shutdownNow();
  }

  @Test
  void anAgentReportingForAnotherRegionOrAsAnotherAgentIsRefusedCountedAndNeverSeen() throws Exception {
    ManagedChannel eastAgent = channel(SpiffeId.agent(deployment, "us-east", "agent-us-east"));
    Agent claimsWest = new Agent(eastAgent);
    claimsWest.send(report("us-west", HealthStatus.HEALTH_STATUS_DOWN));

    await().atMost(Duration.ofSeconds(5)).until(() -> claimsWest.error.get() != null);
    Status status = Status.fromThrowable(claimsWest.error.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(status.getDescription())
        .contains("spiffe://" + deployment + "/region/us-east/agent/agent-us-east may not report for region us-west");
    assertThat(metrics()).contains("dialtone_reports_refused_identity_total 1.0");

    // Its own region, but posing as another agent of it.
    Agent posing = new Agent(eastAgent);
    posing.send(report("us-east", HealthStatus.HEALTH_STATUS_DOWN).toBuilder().setAgentId("agent-us-east-2").build());
    await().atMost(Duration.ofSeconds(5)).until(() -> posing.error.get() != null);
    Status posed = Status.fromThrowable(posing.error.get());
    assertThat(posed.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(posed.getDescription()).contains("spiffe://" + deployment
        + "/region/us-east/agent/agent-us-east may not report as agent_id agent-us-east-2 (its certificate is of agent agent-us-east)");
    assertThat(metrics()).contains("dialtone_reports_refused_identity_total 2.0");

    // The same certificate may speak for its own region, and that report lands.
    Agent east = new Agent(eastAgent);
    east.send(report("us-east", HealthStatus.HEALTH_STATUS_UP));
    var admin = admin(SpiffeId.operator(deployment, "vera"));
    await().atMost(Duration.ofSeconds(5)).until(() -> region(admin, "us-east").hasLastReportAt());
    assertThat(region(admin, "us-west").hasLastReportAt()).as("the refused report never reached the health view").isFalse();
    assertThat(east.error.get()).isNull();
  }

  @Test
  void rolesGateAdminActionsAndTheHistoryRecordsTheVerifiedOperator() throws Exception {
    Agent east = new Agent(channel(SpiffeId.agent(deployment, "us-east", "agent-us-east")));
    Agent west = new Agent(channel(SpiffeId.agent(deployment, "us-west", "agent-us-west")));
    ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();
    closeables.add(agents::shutdownNow);
    agents.scheduleAtFixedRate(() -> {
      east.send(report("us-east", HealthStatus.HEALTH_STATUS_UP));
      west.send(report("us-west", HealthStatus.HEALTH_STATUS_UP));
    }, 0, 100, TimeUnit.MILLISECONDS);
    var viewer = admin(SpiffeId.operator(deployment, "vera"));
    var operator = admin(SpiffeId.operator(deployment, "otto"));
    await().atMost(Duration.ofSeconds(10)).until(() -> region(viewer, "us-west").getHealth().name().equals("HEALTH_STATUS_UP")
        && dns.routing().startsWith("us-east"));

    assertDenied(() -> viewer.failover(FailoverRequest.newBuilder().setToRegion("us-west").setReason("x").build()),
        Status.Code.PERMISSION_DENIED, "has role viewer, needs admin");
    assertDenied(() -> operator.failover(FailoverRequest.newBuilder().setToRegion("us-west").setReason("x").setForce(true).build()),
        Status.Code.PERMISSION_DENIED, "has role operator, needs admin");
    assertThat(dns.routing()).as("nothing moved").startsWith("us-east");
    // Re-registering is the operator's, but a new edge for the ACTIVE region moves live calls: admin only.
    RegisterRegionRequest sameEdge = RegisterRegionRequest.newBuilder().setId("us-east").setPriority(1)
        .setEdge(RegionEdge.newBuilder().addIpv4("203.0.113.10")).build();
    assertThat(operator.registerRegion(sameEdge).getChanged()).as("the same spec again").isFalse();
    RegisterRegionRequest newEdge = sameEdge.toBuilder().setEdge(RegionEdge.newBuilder().addIpv4("203.0.113.99")).build();
    assertDenied(() -> operator.registerRegion(newEdge), Status.Code.PERMISSION_DENIED,
        "us-east is ACTIVE and a new edge would move its live calls; that needs the admin role");
    assertThat(admin(SpiffeId.operator(deployment, "ada")).registerRegion(newEdge).getChanged()).isTrue();

    var done = operator.switchover(SwitchoverRequest.newBuilder().setToRegion("us-west").setReason("maintenance window").build());
    assertThat(done.getPlan().getState()).isEqualTo(PlanState.PLAN_STATE_SUCCEEDED);
    assertThat(dns.routing()).startsWith("us-west");
    var manual = viewer.listHistory(ListHistoryRequest.newBuilder().setPageSize(100).build()).getEntriesList().stream()
        .filter(e -> e.getKind() == HistoryKind.HISTORY_KIND_MANUAL_ACTION).toList();
    assertThat(manual).singleElement().satisfies(e -> {
      assertThat(e.getPrincipal()).isEqualTo("spiffe://" + deployment + "/operator/otto");
      assertThat(e.getReason()).isEqualTo("maintenance window");
      assertThat(e.getSummary()).isEqualTo("switchover to us-west");
      assertThat(e.hasAt()).isTrue();
    });
    assertThat(metrics()).contains("dialtone_admin_calls_refused_total{method=\"Failover\"} 2.0");
  }

  @Test
  void callersWithoutACertificateFailTheHandshake() throws Exception {
    ManagedChannel anonymous = Grpc.newChannelBuilderForAddress("127.0.0.1", replica.grpcPort(),
        TlsChannelCredentials.newBuilder().trustManager(trust.toFile()).build()).build();
    closeables.add(anonymous::shutdownNow);
    assertDenied(() -> AdminServiceGrpc.newBlockingStub(anonymous).withDeadlineAfter(Duration.ofSeconds(5))
        .getStatus(GetStatusRequest.getDefaultInstance()), Status.Code.UNAVAILABLE, "");

    ManagedChannel plaintext = Grpc.newChannelBuilderForAddress("127.0.0.1", replica.grpcPort(),
        io.grpc.InsecureChannelCredentials.create()).build();
    closeables.add(plaintext::shutdownNow);
    assertDenied(() -> AdminServiceGrpc.newBlockingStub(plaintext).withDeadlineAfter(Duration.ofSeconds(5))
        .getStatus(GetStatusRequest.getDefaultInstance()), Status.Code.UNAVAILABLE, "");
  }

  @Test
  void aZooKeeperClientWithoutCredentialsCanNeitherReadNorWriteTheDeploymentsState() throws Exception {
    CuratorFramework outsider = zk.peer().newClient();
    outsider.start();
    closeables.add(outsider);
    var paths = new dev.dialtone.controlplane.state.DeploymentPaths(deployment);
    String root = paths.root();
    String placement = paths.placement();
    assertThat(replica.replica().store().placement()).isPresent();

    assertThatThrownBy(() -> outsider.setData().forPath(placement, "{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> outsider.create().forPath(root + "/rogue"))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> outsider.delete().forPath(placement))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> outsider.getData().forPath(placement))
        .isInstanceOf(KeeperException.NoAuthException.class);
    assertThatThrownBy(() -> outsider.delete().deletingChildrenIfNeeded().forPath(root))
        .isInstanceOf(KeeperException.NoAuthException.class);
    // The shared parent stays open for other deployments to create their own roots in.
    outsider.create().forPath("/dialtone/another-deployment");
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private CertificateAuthority.Issued.PemFiles issue(SpiffeId id, String name) {
    return ca.issue(CertificateAuthority.LeafSpec.loopback(name, id.toUri(), NOW, DAY)).written(dir, name);
  }

  private ManagedChannel channel(SpiffeId id) {
    var files = issue(id, id.kind().name().toLowerCase() + "-" + id.name());
    TransportSecurity security = TransportSecurity.mutualTls(
        new TlsFiles(files.certificateChain(), files.privateKey(), trust, Duration.ofSeconds(30)), reloads, true);
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", replica.grpcPort(), security.channelCredentials(deployment)).build();
    closeables.add(security);
    closeables.add(channel::shutdownNow);
    return channel;
  }

  private AdminServiceGrpc.AdminServiceBlockingStub admin(SpiffeId id) {
    return AdminServiceGrpc.newBlockingStub(channel(id)).withDeadlineAfter(Duration.ofSeconds(20));
  }

  private static RegionStatus region(AdminServiceGrpc.AdminServiceBlockingStub admin, String id) {
    return admin.getStatus(GetStatusRequest.getDefaultInstance()).getRegionsList().stream()
        .filter(r -> r.getId().equals(id)).findFirst().orElseThrow();
  }

  private String metrics() throws Exception {
    return HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  private HealthReport report(String region, HealthStatus db) {
    Instant now = Instant.now();
    return HealthReport.newBuilder().setDeployment(deployment).setRegion(region).setAgentId("agent-" + region)
        .setIncarnation(1).setSequence(sequence.incrementAndGet())
        .setObservedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setReady(true)
        .addDependencies(DependencyResult.newBuilder().setName("db").setKind(DependencyKind.DEPENDENCY_KIND_DB)
            .setStatus(db).setCritical(true))
        .build();
  }

  private static void assertDenied(Runnable call, Status.Code code, String description) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
      assertThat(e.getStatus().getCode()).isEqualTo(code);
      assertThat(String.valueOf(e.getStatus().getDescription())).contains(description);
    });
  }

  /** One agent stream; remembers how the replica ended it. */
  private static final class Agent {
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final StreamObserver<HealthReport> out;

    Agent(ManagedChannel channel) {
      out = AgentServiceGrpc.newStub(channel).report(new StreamObserver<Directive>() {
        @Override public void onNext(Directive d) {}
        @Override public void onError(Throwable t) { error.set(t); }
        @Override public void onCompleted() {}
      });
    }

    synchronized void send(HealthReport r) {
      out.onNext(r);
    }
  }
}
