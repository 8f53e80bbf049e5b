package dev.dialtone.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.testing.HealthyAgent;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.SwitchoverRequest;
import dev.dialtone.proto.v1.SwitchoverResponse;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica whose file says {@code mode: RECOMMEND_ONLY} drives nothing: it records what it would
 * do, and never shows a placement it did not apply.
 */
class RecommendOnlyIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(dir -> new ZooKeeperEnsemble(dir, 3));

  final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      c.close();
    }
  }

  @Test
  void decisionsAreRecommendedAndNeverShownAsApplied() throws Exception {
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("cp.yaml", """
        deployment: recommend-it
        replicaId: cp-1
        mode: RECOMMEND_ONLY
        zookeeper: { connect: "%s" }
        grpc: { port: 0, address: 127.0.0.1 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20] } }
        """.formatted(zk.peer().connectString()));
    ControlPlaneReplica replica = new ControlPlaneReplica(config).start();
    closeables.add(replica);
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort()).usePlaintext().build();
    closeables.add(channel::shutdownNow);
    closeables.add(new HealthyAgent(channel, "recommend-it", "us-east"));
    closeables.add(new HealthyAgent(channel, "recommend-it", "us-west"));
    var admin = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(10));

    await().atMost(Duration.ofSeconds(20)).until(() -> admin.getStatus(GetStatusRequest.getDefaultInstance()).hasRecommendation());
    GetStatusResponse status = admin.getStatus(GetStatusRequest.getDefaultInstance());
    assertThat(status.getRecommendOnly()).isTrue();
    assertThat(status.hasPlacement()).as("nothing applied, nothing shown as applied").isFalse();
    assertThat(status.getRecommendation().getPlacement().getActiveRegion()).isEqualTo("us-east");
    assertThat(replica.replica().store().placement()).isEmpty();

    SwitchoverResponse switched = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(10))
        .switchover(SwitchoverRequest.newBuilder().setToRegion("us-west").setReason("recommend-only IT").build());
    assertThat(switched.getReason()).startsWith("recommended, not applied");
    await().atMost(Duration.ofSeconds(5)).until(() -> admin.getStatus(GetStatusRequest.getDefaultInstance())
        .getRecommendation().getPlacement().getActiveRegion().equals("us-west"));
    assertThat(admin.getStatus(GetStatusRequest.getDefaultInstance()).hasPlacement()).isFalse();
    assertThat(replica.replica().store().history(50, "", "").entries())
        .anyMatch(e -> e.summary().startsWith("recommended, not applied: us-west"));
  }
}
