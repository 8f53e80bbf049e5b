package dev.dialtone.proto.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generated contract works end to end: a report stream in, directives out. */
class AgentServiceContractTest {

  @Test
  void reportStreamRoundTripsThroughGeneratedStubs() throws Exception {
    var received = new CopyOnWriteArrayList<HealthReport>();
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new AgentServiceGrpc.AgentServiceImplBase() {
                  @Override
                  public StreamObserver<HealthReport> report(StreamObserver<Directive> out) {
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(HealthReport report) {
                        received.add(report);
                        out.onNext(Directive.newBuilder().setAckedSequence(report.getSequence()).build());
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        out.onCompleted();
                      }
                    };
                  }
                })
            .build()
            .start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      var acks = new CopyOnWriteArrayList<Long>();
      var done = new CountDownLatch(1);
      StreamObserver<HealthReport> in =
          AgentServiceGrpc.newStub(channel)
              .report(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(Directive d) {
                      acks.add(d.getAckedSequence());
                    }

                    @Override
                    public void onError(Throwable t) {
                      done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                      done.countDown();
                    }
                  });
      HealthReport report =
          HealthReport.newBuilder()
              .setDeployment("acme-voice")
              .setRegion("us-east")
              .setAgentId("agent-1")
              .setIncarnation(42)
              .setSequence(7)
              .setObservedAt(Timestamps.fromMillis(1_700_000_000_000L))
              .setProbeInterval(Durations.fromSeconds(1))
              .addDependencies(
                  DependencyResult.newBuilder()
                      .setKind(DependencyKind.DEPENDENCY_KIND_DB)
                      .setName("primary")
                      .setStatus(HealthStatus.HEALTH_STATUS_DEGRADED)
                      .setCause(FailureCause.FAILURE_CAUSE_REPLICATION_LAG)
                      .putDetails("replication_lag_ms", "1500"))
              .build();
      in.onNext(report);
      in.onCompleted();
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(received).containsExactly(report);
      assertThat(acks).containsExactly(7L);
      assertThat(HealthReport.parseFrom(report.toByteArray())).isEqualTo(report);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }
}
