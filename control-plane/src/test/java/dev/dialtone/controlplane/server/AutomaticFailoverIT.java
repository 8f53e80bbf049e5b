package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.multibindings.Multibinder;
import com.google.protobuf.Timestamp;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole chain on one real replica: agents' report streams → health view → placement policy →
 * plan → fenced actuators → committed placement and history.
 */
class AutomaticFailoverIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  final FencingActuator carrier = new FencingActuator("carrier/test", EpochGuard.none());
  final FencingActuator dns = new FencingActuator("dns/test", EpochGuard.none());
  final Map<String, HealthStatus> dbStatus = new ConcurrentHashMap<>(Map.of(
      "us-east", HealthStatus.HEALTH_STATUS_UP, "us-west", HealthStatus.HEALTH_STATUS_UP));
  final AtomicLong sequence = new AtomicLong();

  @Test
  void aConfirmedDownActiveRegionIsFailedOverToTheHealthyStandby() throws Exception {
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("e2e.yaml", """
        deployment: acme-voice
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        security: { plaintext: true }
        policy: { failAfter: 2, holdDown: 0s, staleAfter: 3s }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com" } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com" } }
        """.formatted(zk.peer().connectString()));
    ScheduledExecutorService agents = Executors.newSingleThreadScheduledExecutor();
    try (ControlPlaneReplica replica = new ControlPlaneReplica(config, binder -> {
      Multibinder<TrafficActuator> set = Multibinder.newSetBinder(binder, TrafficActuator.class);
      set.addBinding().toInstance(carrier);
      set.addBinding().toInstance(dns);
    }).start()) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", replica.grpcPort()).usePlaintext().build();
      StreamObserver<HealthReport> east = stream(channel);
      StreamObserver<HealthReport> west = stream(channel);
      agents.scheduleAtFixedRate(() -> {
        east.onNext(report("us-east"));
        west.onNext(report("us-west"));
      }, 0, 100, TimeUnit.MILLISECONDS);
      await().atMost(Duration.ofSeconds(15)).until(() -> dns.routing().equals("us-east > us-west"));

      dbStatus.put("us-east", HealthStatus.HEALTH_STATUS_DOWN);

      await().atMost(Duration.ofSeconds(10)).until(() -> dns.routing().startsWith("us-west")
          && carrier.routing().startsWith("us-west"));
      assertThat(dns.routing()).as("a confirmed-down region is not kept as a fallback").doesNotContain("us-east");
      await().atMost(Duration.ofSeconds(5)).until(() -> replica.replica().store().placement().orElseThrow().value().activeRegion().equals("us-west"));
      assertThat(replica.replica().store().history(200, "", "").entries())
          .filteredOn(e -> e.kind() == HistoryKind.DECISION && e.summary().startsWith("Shift"))
          .first().satisfies(e -> {
            assertThat(e.principal()).isEqualTo("policy");
            assertThat(e.reason()).isNotBlank();
            assertThat(e.evidence()).isNotEmpty();
          });
      agents.shutdownNow();
      channel.shutdownNow();
    } finally {
      agents.shutdownNow();
    }
  }

  StreamObserver<HealthReport> stream(ManagedChannel channel) {
    StreamObserver<HealthReport> out = AgentServiceGrpc.newStub(channel).report(new StreamObserver<Directive>() {
      @Override public void onNext(Directive d) {}
      @Override public void onError(Throwable t) {}
      @Override public void onCompleted() {}
    });
    return new StreamObserver<>() { // gRPC stream observers are not thread-safe: one sender thread
      @Override public synchronized void onNext(HealthReport r) { out.onNext(r); }
      @Override public synchronized void onError(Throwable t) { out.onError(t); }
      @Override public synchronized void onCompleted() { out.onCompleted(); }
    };
  }

  HealthReport report(String region) {
    Instant now = Instant.now();
    return HealthReport.newBuilder().setDeployment("acme-voice").setRegion(region).setAgentId("agent-" + region)
        .setIncarnation(1).setSequence(sequence.incrementAndGet())
        .setObservedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .setReady(true)
        .addDependencies(DependencyResult.newBuilder().setName("db").setKind(DependencyKind.DEPENDENCY_KIND_DB)
            .setStatus(dbStatus.get(region)).setCritical(true))
        .addDependencies(DependencyResult.newBuilder().setName("llm").setKind(DependencyKind.DEPENDENCY_KIND_LLM)
            .setStatus(HealthStatus.HEALTH_STATUS_UP).setCritical(true))
        .build();
  }
}
