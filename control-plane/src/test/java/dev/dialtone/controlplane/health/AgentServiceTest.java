package dev.dialtone.controlplane.health;

import dev.dialtone.controlplane.metrics.ReplicaMetrics;

import static dev.dialtone.controlplane.health.Reports.dependency;
import static dev.dialtone.controlplane.health.Reports.healthy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.LeaderView;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentServiceTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

  final MetricRegistry metrics = new MetricRegistry();
  final HealthView view = new HealthView("acme-voice", () -> Set.of("east", "west"), Duration.ofSeconds(5), 4096);
  final SettableLeaderView leader = new SettableLeaderView(view("r1", "r2", 3));
  Server server;
  ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new AgentService(view, leader, metrics, Clock.fixed(T0, ZoneOffset.UTC), true)).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aMalformedReportEndsTheStreamWithItsReasonAndEarlierReportsLand() {
    var agent = new Agent();
    StreamObserver<HealthReport> reports = AgentServiceGrpc.newStub(channel).report(agent);
    reports.onNext(healthy("east", 1, T0).build());
    reports.onNext(healthy("east", 2, T0).build());
    reports.onNext(healthy("east", 2, T0).build());
    reports.onNext(healthy("east", 3, T0)
        .addDependencies(dependency("sip", DependencyKind.DEPENDENCY_KIND_UNSPECIFIED, HealthStatus.HEALTH_STATUS_UP, true))
        .build());

    await().atMost(Duration.ofSeconds(5)).until(() -> agent.error.get() != null);
    Status status = Status.fromThrowable(agent.error.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(status.getDescription())
        .isEqualTo("report rejected (malformed): dependencies[3] (sip): kind is unspecified"
            + " [region=east agent=agent-east sequence=3]");
    assertThat(metrics.meter(ReplicaMetrics.REPORTS_ACCEPTED.name()).getCount()).isEqualTo(2);
    assertThat(metrics.counter(ReplicaMetrics.REPORTS_DUPLICATE.name()).getCount()).isEqualTo(1);
    assertThat(metrics.counter(ReplicaMetrics.REPORTS_REJECTED.name("malformed")).getCount()).isEqualTo(1);
    RegionHealth east = view.snapshot(T0).region("east");
    assertThat(east.status()).isEqualTo(RegionStatus.UP);
    assertThat(east.upStreak()).isEqualTo(2);
  }

  @Test
  void onlyAReportThatChangesReadinessOrADependencyStatusNudgesTheDecision() throws Exception {
    AtomicInteger nudges = new AtomicInteger();
    String name = InProcessServerBuilder.generateName();
    Server nudging = InProcessServerBuilder.forName(name).directExecutor()
        .addService(new AgentService(view, leader, new MetricRegistry(), Clock.fixed(T0, ZoneOffset.UTC), true,
            nudges::incrementAndGet)).build().start();
    ManagedChannel ch = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      var agent = new Agent();
      StreamObserver<HealthReport> reports = AgentServiceGrpc.newStub(ch).report(agent);
      reports.onNext(healthy("east", 1, T0).build());
      reports.onNext(healthy("east", 2, T0.plusSeconds(1)).build());
      reports.onNext(healthy("east", 3, T0.plusSeconds(2)).setDependencies(1,
          dependency("llm", DependencyKind.DEPENDENCY_KIND_LLM, HealthStatus.HEALTH_STATUS_DOWN, true)).build());
      reports.onNext(healthy("east", 4, T0.plusSeconds(3)).setDependencies(1,
          dependency("llm", DependencyKind.DEPENDENCY_KIND_LLM, HealthStatus.HEALTH_STATUS_DOWN, true)).build());
      reports.onNext(healthy("east", 5, T0.plusSeconds(4)).setReady(false).build());

      await().atMost(Duration.ofSeconds(5)).until(() -> nudges.get() >= 3);
      assertThat(nudges.get()).as("first report, llm DOWN, llm UP but not ready").isEqualTo(3);
    } finally {
      ch.shutdownNow();
      nudging.shutdownNow();
    }
  }

  @Test
  void aReportForAnUnknownRegionIsNotFound() {
    var agent = new Agent();
    AgentServiceGrpc.newStub(channel).report(agent).onNext(healthy("mars", 1, T0).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> agent.error.get() != null);
    Status status = Status.fromThrowable(agent.error.get());
    assertThat(status.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(status.getDescription()).startsWith("report rejected (unknown_region): region 'mars' is not registered");
    assertThat(metrics.counter(ReplicaMetrics.REPORTS_REJECTED.name("unknown_region")).getCount()).isEqualTo(1);
  }

  @Test
  void directivesCarryTheLeaderViewOnOpenAndOnChange() {
    var first = new Agent();
    var second = new Agent();
    AgentServiceGrpc.newStub(channel).report(first);
    AgentServiceGrpc.newStub(channel).report(second);
    await().atMost(Duration.ofSeconds(5)).until(() -> first.directives.size() == 1 && second.directives.size() == 1);
    assertThat(first.directives.get(0).getLeader()).isEqualTo(view("r1", "r2", 3));

    leader.set(view("r1", "r3", 4));
    await().atMost(Duration.ofSeconds(5)).until(() -> first.directives.size() == 2 && second.directives.size() == 2);
    assertThat(second.directives).extracting(d -> d.getLeader().getEpoch()).containsExactly(3L, 4L);
    assertThat(first.directives.get(1).getLeader().getLeaderId()).isEqualTo("r3");
    assertThat(metrics.getGauges().get(ReplicaMetrics.AGENT_STREAMS.name()).getValue()).isEqualTo(2);
  }

  @Test
  void theLeaderAsksARegionThatTurnsDownToProbeNowOnceAndFollowersStayQuiet() {
    leader.set(view("r1", "r1", 3)); // this replica leads
    var east1 = new Agent();
    var east2 = new Agent();
    var west = new Agent();
    StreamObserver<HealthReport> e1 = AgentServiceGrpc.newStub(channel).report(east1);
    StreamObserver<HealthReport> e2 = AgentServiceGrpc.newStub(channel).report(east2);
    StreamObserver<HealthReport> w = AgentServiceGrpc.newStub(channel).report(west);
    e1.onNext(healthy("east", 1, T0).build());
    e2.onNext(healthy("east", 1, T0).setAgentId("agent-east-2").build());
    w.onNext(healthy("west", 1, T0).build());

    HealthReport down = healthy("east", 2, T0).setDependencies(0,
        dependency("db", DependencyKind.DEPENDENCY_KIND_DB, HealthStatus.HEALTH_STATUS_DOWN, true)).build();
    e1.onNext(down);
    e2.onNext(healthy("east", 2, T0).setAgentId("agent-east-2").setDependencies(0,
        dependency("db", DependencyKind.DEPENDENCY_KIND_DB, HealthStatus.HEALTH_STATUS_DOWN, true)).build());
    e1.onNext(healthy("east", 3, T0).setDependencies(0,
        dependency("db", DependencyKind.DEPENDENCY_KIND_DB, HealthStatus.HEALTH_STATUS_DOWN, true)).build());

    await().atMost(Duration.ofSeconds(5)).until(() -> east1.probeNow().size() == 1 && east2.probeNow().size() == 1);
    assertThat(east1.probeNow().get(0)).isEqualTo("confirm east DOWN (db, reported by agent-east-2)");
    assertThat(west.probeNow()).as("another region is not asked").isEmpty();
    assertThat(metrics.counter(ReplicaMetrics.PROBE_NOW.name()).getCount()).as("once per turn to DOWN, to both streams").isEqualTo(2);

    leader.set(view("r1", "r2", 4)); // a follower now
    w.onNext(healthy("west", 2, T0).setDependencies(0,
        dependency("db", DependencyKind.DEPENDENCY_KIND_DB, HealthStatus.HEALTH_STATUS_DOWN, true)).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> view.snapshot(T0).region("west").status() == RegionStatus.DOWN);
    assertThat(west.probeNow()).as("a follower asks nothing").isEmpty();
  }

  @Test
  void aClosedStreamNoLongerReceivesDirectives() {
    var agent = new Agent();
    AgentServiceGrpc.newStub(channel).report(agent).onCompleted();
    await().atMost(Duration.ofSeconds(5)).untilTrue(agent.completed);
    leader.set(view("r1", "r3", 4));
    assertThat(agent.directives).hasSize(1);
    assertThat(metrics.getGauges().get(ReplicaMetrics.AGENT_STREAMS.name()).getValue()).isEqualTo(0);
  }

  @Test
  void everyRejectionReasonMapsToAStatusCode() {
    HealthReport r = healthy("east", 9, T0).build();
    assertThat(AgentService.status(IngestResult.rejected(IngestResult.Reason.OVERSIZED, "too big"), r).getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(AgentService.status(IngestResult.rejected(IngestResult.Reason.MALFORMED, "x"), r).getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    Status other = AgentService.status(IngestResult.rejected(IngestResult.Reason.UNKNOWN_DEPLOYMENT, "not ours"), r);
    assertThat(other.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(other.getDescription())
        .isEqualTo("report rejected (unknown_deployment): not ours [region=east agent=agent-east sequence=9]");
  }

  static LeaderView view(String replica, String leader, long epoch) {
    return LeaderView.newBuilder().setReplicaId(replica).setLeaderId(leader).setEpoch(epoch).build();
  }

  /** A leader view a test sets by hand. */
  static final class SettableLeaderView implements LeaderViewSource {
    private final List<Consumer<LeaderView>> listeners = new CopyOnWriteArrayList<>();
    private volatile LeaderView current;

    SettableLeaderView(LeaderView initial) {
      current = initial;
    }

    void set(LeaderView next) {
      current = next;
      listeners.forEach(l -> l.accept(next));
    }

    @Override
    public LeaderView current() {
      return current;
    }

    @Override
    public void addListener(Consumer<LeaderView> listener) {
      listeners.add(listener);
    }
  }

  /** Records what the replica sends back. */
  static final class Agent implements StreamObserver<Directive> {
    final List<Directive> directives = new CopyOnWriteArrayList<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicBoolean completed = new AtomicBoolean();

    /** The reasons of the ProbeNow directives received. */
    List<String> probeNow() {
      return directives.stream().filter(Directive::hasProbeNow).map(d -> d.getProbeNow().getReason()).toList();
    }

    @Override
    public void onNext(Directive value) {
      directives.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {
      completed.set(true);
    }
  }
}
