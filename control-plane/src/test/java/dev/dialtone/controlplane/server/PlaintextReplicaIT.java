package dev.dialtone.controlplane.server;

import static dev.dialtone.security.authz.BearerToken.callCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.testing.HealthyAgent;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.FreezeRequest;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.Mode;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plaintext (dev/lab) profile keeps access control: with tokens configured, a caller without
 * one may read and report but not act, a token's holder acts under its name, and the gRPC and
 * metrics ports listen on loopback unless the file says otherwise.
 */
class PlaintextReplicaIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  @Test
  void withoutATokenAPlaintextCallerMayReadButNotAct() throws Exception {
    var config = new ControlPlaneConfigLoader().parse("plaintext.yaml", """
        deployment: plaintext-it
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        dns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ] }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
        security:
          plaintext: true
          access: { tokens: [ { name: deploy-pipeline, role: operator, sha256: "%s" } ] }
        """.formatted(zk.peer().connectString(), Credentials.hash("op-t0ken")));
    try (ControlPlaneReplica replica = new ControlPlaneReplica(config).start()) {
      assertThat(replica.grpcAddress().getAddress().isLoopbackAddress()).as("gRPC on " + replica.grpcAddress()).isTrue();
      assertThat(replica.httpAddress().getAddress().isLoopbackAddress()).as("/metrics on " + replica.httpAddress()).isTrue();
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort()).usePlaintext().build();
      try (HealthyAgent agent = new HealthyAgent(channel, "plaintext-it", "us-east")) {
        var anonymous = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
        // Reports still come in (on trust) and reads need no token: the first placement is made and shown.
        await().atMost(Duration.ofSeconds(15)).until(() -> anonymous.getStatus(GetStatusRequest.getDefaultInstance()).hasPlacement());

        FreezeRequest freeze = FreezeRequest.newBuilder().setReason("change window").build();
        assertThatThrownBy(() -> anonymous.freeze(freeze)).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).contains("anonymous has role viewer, needs operator");
        });
        assertThatThrownBy(() -> anonymous.withCallCredentials(callCredentials("guess")).freeze(freeze))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("unknown bearer token");
            });
        assertThat(anonymous.getStatus(GetStatusRequest.getDefaultInstance()).getMode()).isNotEqualTo(Mode.MODE_FROZEN);

        var frozen = anonymous.withCallCredentials(callCredentials("op-t0ken")).freeze(freeze);
        assertThat(frozen.getMode()).isEqualTo(Mode.MODE_FROZEN);
        assertThat(frozen.getFreeze().getPrincipal()).isEqualTo("token:deploy-pipeline");
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
