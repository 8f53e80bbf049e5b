package dev.dialtone.controlplane.testing;

import com.google.protobuf.Timestamp;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test agent streaming "every dependency UP, ready" for one region every 100 ms to a replica,
 * so the policy has a healthy region to place traffic on (a first placement waits for health).
 */
public final class HealthyAgent implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "healthy-agent");
    t.setDaemon(true);
    return t;
  });
  private final AtomicLong sequence = new AtomicLong();

  /** Starts reporting for {@code region} of {@code deployment} over {@code channel}. */
  public HealthyAgent(ManagedChannel channel, String deployment, String region) {
    StreamObserver<HealthReport> out = AgentServiceGrpc.newStub(channel).report(new StreamObserver<Directive>() {
      @Override public void onNext(Directive d) {}

      @Override public void onError(Throwable t) {}

      @Override public void onCompleted() {}
    });
    timer.scheduleAtFixedRate(() -> {
      Instant now = Instant.now();
      synchronized (out) {
        out.onNext(HealthReport.newBuilder().setDeployment(deployment).setRegion(region).setAgentId("test-agent-" + region)
            .setIncarnation(1).setSequence(sequence.incrementAndGet())
            .setObservedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
            .setReady(true)
            .addDependencies(DependencyResult.newBuilder().setName("db").setKind(DependencyKind.DEPENDENCY_KIND_DB)
                .setStatus(HealthStatus.HEALTH_STATUS_UP).setCritical(true))
            .build());
      }
    }, 0, 100, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
