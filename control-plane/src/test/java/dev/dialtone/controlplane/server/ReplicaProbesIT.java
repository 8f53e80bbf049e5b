package dev.dialtone.controlplane.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What probes and on-call tools see of a replica: the standard gRPC health service (SERVING while
 * it reaches ZooKeeper), server reflection, and {@code /healthz} and {@code /readyz} over HTTP.
 */
class ReplicaProbesIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  @Test
  void probesFollowTheReplicasHoldOnZooKeeper() throws Exception {
    var config = new ControlPlaneConfigLoader().parse("probes.yaml", """
        deployment: probes-it
        replicaId: cp-1
        zookeeper: { connect: "%s", sessionTimeout: 3s }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        dns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ] }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
        """.formatted(zk.peer().connectString()));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try (ControlPlaneReplica replica = new ControlPlaneReplica(config).start()) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort()).usePlaintext().build();
      try {
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(Duration.ofSeconds(10));
        String base = "http://127.0.0.1:" + replica.httpPort();
        await().atMost(Duration.ofSeconds(15)).until(() -> get(http, base + "/readyz").statusCode() == 200);
        assertThat(get(http, base + "/healthz").body()).isEqualTo("ok\n");
        for (String service : List.of("", "dialtone.v1.AdminService", "dialtone.v1.AgentService")) {
          assertThat(health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus())
              .as("service '%s'", service).isEqualTo(ServingStatus.SERVING);
        }
        assertThat(reflectedServices(channel)).contains("dialtone.v1.AdminService", "dialtone.v1.AgentService",
            "grpc.health.v1.Health");

        zk.peer().stop(); // the whole ensemble: this replica can neither lead nor follow

        await().atMost(Duration.ofSeconds(15)).until(() -> health.check(HealthCheckRequest.getDefaultInstance()).getStatus()
            == ServingStatus.NOT_SERVING);
        HttpResponse<String> notReady = get(http, base + "/readyz");
        assertThat(notReady.statusCode()).isEqualTo(503);
        assertThat(notReady.body()).isEqualTo("not ready: not connected to ZooKeeper\n");
        assertThat(get(http, base + "/healthz").statusCode()).as("alive all the same").isEqualTo(200);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  static HttpResponse<String> get(HttpClient http, String url) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static List<String> reflectedServices(ManagedChannel channel) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override public void onNext(ServerReflectionResponse r) { answer.complete(r); }
          @Override public void onError(Throwable t) { answer.completeExceptionally(t); }
          @Override public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    ServerReflectionResponse r = answer.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList();
  }
}
