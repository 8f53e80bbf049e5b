package dev.dialtone.controlplane.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.inject.multibindings.Multibinder;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.proto.v1.*;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The admin API of two real replicas (gRPC over loopback) on a real ZooKeeper ensemble. */
class AdminServiceIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  final FencingActuator carrier = new FencingActuator("carrier/test", EpochGuard.none());
  final FencingActuator dns = new FencingActuator("dns/test", EpochGuard.none());
  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  /** Each test its own deployment on the shared ensemble. */
  String deployment = "admin-it";

  ControlPlaneReplica start(String id) throws Exception {
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("it.yaml", """
        deployment: %s
        replicaId: %s
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com" } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com" } }
        """.formatted(deployment, id, zk.peer().connectString()));
    ControlPlaneReplica r = new ControlPlaneReplica(config, binder -> {
      Multibinder<TrafficActuator> set = Multibinder.newSetBinder(binder, TrafficActuator.class);
      set.addBinding().toInstance(carrier);
      set.addBinding().toInstance(dns);
    }).start();
    closeables.add(r);
    return r;
  }

  AdminServiceGrpc.AdminServiceBlockingStub admin(ControlPlaneReplica r) {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", r.grpcPort()).usePlaintext().build();
    closeables.add(ch::shutdownNow);
    return AdminServiceGrpc.newBlockingStub(ch).withDeadlineAfter(Duration.ofSeconds(20));
  }

  @Test
  void aDeregisteredRegionStaysRemovedAcrossTermsUntilRegisteredAgain() throws Exception {
    deployment = "admin-it-tombstone";
    ControlPlaneReplica first = start("cp-1");
    await().atMost(Duration.ofSeconds(15)).until(() -> first.replica().loop().epoch() > 0);
    ManagedChannel agentChannel = NettyChannelBuilder.forAddress("127.0.0.1", first.grpcPort()).usePlaintext().build();
    closeables.add(agentChannel::shutdownNow);
    closeables.add(new dev.dialtone.controlplane.testing.HealthyAgent(agentChannel, deployment, "us-east"));
    var leader = admin(first);
    await().atMost(Duration.ofSeconds(15)).until(() -> leader.getStatus(GetStatusRequest.getDefaultInstance()).getPlacement()
        .getActiveRegion().equals("us-east"));
    leader.drainRegion(DrainRegionRequest.newBuilder().setId("us-west").setReason("retire").build());
    assertThat(leader.deregisterRegion(DeregisterRegionRequest.newBuilder().setId("us-west").setReason("retire").build())
        .getChanged()).isTrue();
    first.close();

    // A new term seeds the regions of its file that are missing: us-west is in the file, and removed.
    ControlPlaneReplica second = start("cp-2");
    await().atMost(Duration.ofSeconds(15)).until(() -> second.replica().loop().epoch() > 0);
    var next = admin(second);
    assertThat(next.getStatus(GetStatusRequest.getDefaultInstance()).getRegionsList()).extracting(RegionStatus::getId)
        .containsExactly("us-east");
    assertThat(next.deregisterRegion(DeregisterRegionRequest.newBuilder().setId("us-west").build()).getChanged())
        .as("still removed").isFalse();

    RegisterRegionResponse back = next.registerRegion(RegisterRegionRequest.newBuilder().setId("us-west").setPriority(2)
        .setEdge(RegionEdge.newBuilder().addIpv4("198.51.100.20").setSipUri("sip:edge.us-west.example.com")).build());
    assertThat(back.getChanged()).isTrue();
    assertThat(back.getRegion().getLifecycle()).isEqualTo(RegionLifecycle.REGION_LIFECYCLE_PROVISIONING);
    assertThat(next.listHistory(ListHistoryRequest.newBuilder().setPageSize(100).build()).getEntriesList())
        .extracting(HistoryEntry::getSummary)
        .contains("us-west deregistered (REMOVED)", "us-west registered again after its removal, as PROVISIONING")
        .as("seeded from the file by the first term only").containsOnlyOnce("us-west registered as STANDBY");
  }

  @Test
  void operatorsDriveTheLeaderAndFollowersRefuseMutationsNamingIt() throws Exception {
    ControlPlaneReplica first = start("cp-1");
    await().atMost(Duration.ofSeconds(15)).until(() -> first.replica().loop().epoch() > 0);
    ManagedChannel agentChannel = NettyChannelBuilder.forAddress("127.0.0.1", first.grpcPort()).usePlaintext().build();
    closeables.add(agentChannel::shutdownNow);
    closeables.add(new dev.dialtone.controlplane.testing.HealthyAgent(agentChannel, "admin-it", "us-east"));
    ControlPlaneReplica second = start("cp-2");
    var leader = admin(first);
    var follower = admin(second);
    await().atMost(Duration.ofSeconds(15)).until(() -> leader.getStatus(GetStatusRequest.getDefaultInstance()).getPlacement().getActiveRegion().equals("us-east"));

    GetStatusResponse status = follower.getStatus(GetStatusRequest.getDefaultInstance());
    assertThat(status.getLeaderId()).isEqualTo("cp-1");
    assertThat(status.getReplicaId()).isEqualTo("cp-2");
    assertThat(status.getRegionsList()).extracting(RegionStatus::getId).containsExactly("us-east", "us-west");
    assertThat(status.getCoordinationConnected()).isTrue();
    assertThatThrownBy(() -> follower.freeze(FreezeRequest.newBuilder().setReason("x").build()))
        .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("the leader is cp-1");

    assertThatThrownBy(() -> leader.switchover(SwitchoverRequest.newBuilder().setToRegion("us-west").build()))
        .as("no agent reports: us-west is not known healthy").hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("refused");
    assertThatThrownBy(() -> leader.failover(FailoverRequest.newBuilder().setToRegion("us-west").build()))
        .hasMessageContaining("INVALID_ARGUMENT").hasMessageContaining("reason is required");
    FailoverResponse forced = leader.failover(FailoverRequest.newBuilder().setToRegion("us-west").setReason("us-east LLM provider outage").setForce(true).build());
    assertThat(forced.getPlan().getState()).isEqualTo(PlanState.PLAN_STATE_SUCCEEDED);
    assertThat(dns.routing()).startsWith("us-west");
    assertThat(carrier.routing()).startsWith("us-west");

    FreezeResponse frozen = leader.freeze(FreezeRequest.newBuilder().setReason("change window").build());
    assertThat(frozen.getMode()).isEqualTo(Mode.MODE_FROZEN);
    assertThat(follower.getStatus(GetStatusRequest.getDefaultInstance()).getFreeze().getReason()).isEqualTo("change window");
    assertThat(leader.unfreeze(UnfreezeRequest.newBuilder().setReason("done").build()).getMode()).isEqualTo(Mode.MODE_AUTO);

    RegisterRegionRequest eu = RegisterRegionRequest.newBuilder().setId("eu-west").setPriority(3)
        .setEdge(RegionEdge.newBuilder().addIpv4("192.0.2.30")).build();
    RegisterRegionResponse registered = leader.registerRegion(eu);
    assertThat(registered.getChanged()).isTrue();
    assertThat(registered.getRegion().getLifecycle()).isEqualTo(RegionLifecycle.REGION_LIFECYCLE_PROVISIONING);
    assertThat(leader.registerRegion(eu).getChanged()).as("idempotent").isFalse();
    assertThatThrownBy(() -> leader.deregisterRegion(DeregisterRegionRequest.newBuilder().setId("eu-west").build()))
        .hasMessageContaining("drain it first");
    assertThat(leader.drainRegion(DrainRegionRequest.newBuilder().setId("eu-west").build()).getRegion().getLifecycle())
        .isEqualTo(RegionLifecycle.REGION_LIFECYCLE_DRAINING);
    CancelDrainResponse undrained = leader.cancelDrain(CancelDrainRequest.newBuilder().setId("eu-west").setReason("oops").build());
    assertThat(undrained.getChanged()).isTrue();
    assertThat(undrained.getRegion().getLifecycle()).as("proven healthy again before it is a standby")
        .isEqualTo(RegionLifecycle.REGION_LIFECYCLE_PROVISIONING);
    assertThat(leader.cancelDrain(CancelDrainRequest.newBuilder().setId("eu-west").build()).getChanged())
        .as("not draining: nothing to cancel").isFalse();
    assertThatThrownBy(() -> leader.cancelDrain(CancelDrainRequest.newBuilder().setId("ap-south").build()))
        .hasMessageContaining("NOT_FOUND").hasMessageContaining("no region ap-south is registered");
    leader.drainRegion(DrainRegionRequest.newBuilder().setId("eu-west").build());
    assertThat(leader.deregisterRegion(DeregisterRegionRequest.newBuilder().setId("eu-west").build()).getChanged()).isTrue();
    DeregisterRegionResponse again = leader.deregisterRegion(DeregisterRegionRequest.newBuilder().setId("eu-west").build());
    assertThat(again.getChanged()).as("a pipeline's retry succeeds and changes nothing").isFalse();
    assertThat(again.getRegion().getLifecycle()).isEqualTo(RegionLifecycle.REGION_LIFECYCLE_REMOVED);
    assertThat(follower.listHistory(ListHistoryRequest.newBuilder().setPageSize(100).build()).getEntriesList())
        .extracting(HistoryEntry::getSummary).contains("eu-west drain cancelled: DRAINING -> PROVISIONING");

    ListHistoryResponse history = follower.listHistory(ListHistoryRequest.newBuilder().setPageSize(100).build());
    assertThat(history.getEntriesList()).filteredOn(e -> e.getKind() == HistoryKind.HISTORY_KIND_MANUAL_ACTION)
        .extracting(HistoryEntry::getSummary).contains("failover to us-west (forced)", "freeze", "unfreeze");
    assertThat(history.getEntriesList()).filteredOn(e -> e.getKind() == HistoryKind.HISTORY_KIND_MANUAL_ACTION)
        .allSatisfy(e -> assertThat(e.getPrincipal()).isEqualTo("anonymous"));
    assertThatThrownBy(() -> leader.listDrills(ListDrillsRequest.getDefaultInstance()))
        .hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("game days are not configured");
    assertThatThrownBy(() -> leader.runDrill(RunDrillRequest.newBuilder().setName("llm-timeout").build()))
        .hasMessageContaining("FAILED_PRECONDITION").hasMessageContaining("game days are not configured");

    String metrics = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertThat(metrics).contains("dialtone_leader 1.0").contains("dialtone_plan_step_seconds{actuator=");
    assertThat(dev.dialtone.testkit.Promtool.checkMetrics(metrics)).as("the leader's /metrics").isEmpty();
    long epochNow = first.replica().loop().epoch();
    // The leader reads each actuator's ownership back: both hold this term after the failover.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first.httpPort() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).contains(
            "dialtone_actuator_owner_epoch{actuator=\"dns/test\"} " + epochNow + ".0",
            "dialtone_actuator_owner_epoch{actuator=\"carrier/test\"} " + epochNow + ".0",
            "dialtone_plans_total{outcome=\"succeeded\"}"));
    // A follower knows the term too, and exports the same state (it reads the same ZooKeeper).
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      String followed = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(followed).contains("dialtone_leader 0.0", "dialtone_epoch " + epochNow + ".0",
          "dialtone_zookeeper_connected 1.0", "dialtone_mode{mode=\"AUTO\"} 1.0", "dialtone_outage_mode 0.0",
          "dialtone_active_region{region=\"us-west\"} 1.0", "dialtone_active_region{region=\"us-east\"} 0.0",
          "# TYPE jvm_memory_used_bytes gauge");
      assertThat(dev.dialtone.testkit.Promtool.checkMetrics(followed)).as("a follower's /metrics").isEmpty();
    });

    // Agents connected to a follower learn of a new leader from its LeaderView.
    List<LeaderView> views = new java.util.concurrent.CopyOnWriteArrayList<>();
    second.replica().addListener(views::add);
    long firstEpoch = first.replica().loop().epoch();
    first.close(); // a clean stop hands leadership over at once
    await().atMost(Duration.ofSeconds(5)).until(() -> views.stream()
        .anyMatch(v -> v.getLeaderId().equals("cp-2") && v.getEpoch() > firstEpoch && v.getReplicaId().equals("cp-2")));
  }
}
