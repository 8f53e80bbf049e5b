package dev.dialtone.controlplane.bench;

import dev.dialtone.controlplane.metrics.ReplicaMetrics;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.Timestamp;
import dev.dialtone.controlplane.health.AgentService;
import dev.dialtone.controlplane.health.HealthView;
import dev.dialtone.controlplane.health.LeaderViewSource;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.LeaderView;
import dev.dialtone.proto.v1.VantageResult;
import io.grpc.BindableService;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Report ingest at one replica's real {@link AgentService} versus a raw gRPC streaming baseline of
 * the same messages to a server that discards them, both over loopback Netty in the same run.
 * Prints reports per second and the ratio (goal: ingest at least 50 % of raw).
 *
 * <p>Arguments (all optional): reports per round (default 200000), agents streaming at once (8),
 * measured rounds per side (3).
 */
public final class IngestBenchmark {
  private static final String DEPLOYMENT = "acme-voice";

  private IngestBenchmark() {}

  public static void main(String[] args) throws Exception {
    int reports = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    int agents = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    Set<String> regions = IntStream.range(0, agents).mapToObj(i -> "region-" + i).collect(Collectors.toSet());

    var metrics = new MetricRegistry();
    var view = new HealthView(DEPLOYMENT, () -> regions, Duration.ofSeconds(5), HealthView.DEFAULT_MAX_REPORT_BYTES);
    var ingest = start(new AgentService(view, new FixedLeader(), metrics, Clock.systemUTC(), true));
    var raw = start(new DiscardingAgentService());
    try {
      System.out.printf(Locale.ROOT, "report size %d bytes, %d reports per round, %d agents, %d rounds, %s%n",
          template("region-0", 1).getSerializedSize(), reports, agents, rounds, Runtime.version());
      long incarnation = 1;
      // Warm-up: JIT, connections, buffers on both sides.
      run(raw, reports, agents, incarnation++);
      run(ingest, reports, agents, incarnation++);
      double bestRaw = 0;
      double bestIngest = 0;
      long acceptedBefore = metrics.meter(ReplicaMetrics.REPORTS_ACCEPTED.name()).getCount();
      for (int r = 0; r < rounds; r++) {
        double rawRate = run(raw, reports, agents, incarnation++);
        double ingestRate = run(ingest, reports, agents, incarnation++);
        System.out.printf(Locale.ROOT, "round %d: raw %,.0f reports/s, ingest %,.0f reports/s (%.0f %%)%n",
            r + 1, rawRate, ingestRate, 100 * ingestRate / rawRate);
        bestRaw = Math.max(bestRaw, rawRate);
        bestIngest = Math.max(bestIngest, ingestRate);
      }
      long accepted = metrics.meter(ReplicaMetrics.REPORTS_ACCEPTED.name()).getCount() - acceptedBefore;
      System.out.printf(Locale.ROOT, "accepted %d of %d measured reports (rejected %d, duplicate %d)%n", accepted,
          (long) reports / agents * agents * rounds,
          metrics.getCounters((name, m) -> name.startsWith(ReplicaMetrics.REPORTS_REJECTED.family() + ".")).values().stream()
              .mapToLong(c -> c.getCount()).sum(),
          metrics.counter(ReplicaMetrics.REPORTS_DUPLICATE.name()).getCount());
      System.out.printf(Locale.ROOT, "best: raw %,.0f reports/s, ingest %,.0f reports/s, ingest/raw %.0f %% (goal >= 50 %%)%n",
          bestRaw, bestIngest, 100 * bestIngest / bestRaw);
    } finally {
      ingest.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      raw.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Server start(BindableService service) throws Exception {
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build().start();
  }

  /** Streams {@code total} reports split over {@code agents} streams, each on its own channel; reports/s. */
  private static double run(Server server, int total, int agents, long incarnation) throws Exception {
    int perAgent = total / agents;
    List<ManagedChannel> channels = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build());
    }
    try {
      for (ManagedChannel c : channels) {
        c.getState(true);
      }
      var done = new CountDownLatch(agents);
      var failure = new AtomicReference<Throwable>();
      long start = System.nanoTime();
      for (int a = 0; a < agents; a++) {
        HealthReport template = template("region-" + a, incarnation);
        AgentServiceGrpc.newStub(channels.get(a)).report(new Agent(template, perAgent, done, failure));
      }
      if (!done.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("streams did not finish within 5 minutes");
      }
      long elapsed = System.nanoTime() - start;
      if (failure.get() != null) {
        throw new IllegalStateException("a stream failed", failure.get());
      }
      return (double) perAgent * agents / (elapsed / 1e9);
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  /** A realistic report: four dependencies (one with details) and two vantage results. */
  static HealthReport template(String region, long incarnation) {
    Timestamp now = Timestamp.newBuilder().setSeconds(Instant.now().getEpochSecond()).build();
    var latency = com.google.protobuf.Duration.newBuilder().setNanos(3_000_000).build();
    var b = HealthReport.newBuilder().setDeployment(DEPLOYMENT).setRegion(region).setAgentId("agent-" + region)
        .setIncarnation(incarnation).setObservedAt(now).setReady(true)
        .setProbeInterval(com.google.protobuf.Duration.newBuilder().setSeconds(1));
    String[] names = {"openai-primary", "postgres", "redis", "carrier-edge"};
    DependencyKind[] kinds = {DependencyKind.DEPENDENCY_KIND_LLM, DependencyKind.DEPENDENCY_KIND_DB,
        DependencyKind.DEPENDENCY_KIND_CACHE, DependencyKind.DEPENDENCY_KIND_CARRIER};
    for (int i = 0; i < names.length; i++) {
      var d = DependencyResult.newBuilder().setKind(kinds[i]).setName(names[i]).setStatus(HealthStatus.HEALTH_STATUS_UP)
          .setLastAttemptStatus(HealthStatus.HEALTH_STATUS_UP).setLatency(latency).setObservedAt(now)
          .setConsecutive(12).setCritical(i != 2).setCause(FailureCause.FAILURE_CAUSE_UNSPECIFIED);
      if (kinds[i] == DependencyKind.DEPENDENCY_KIND_DB) {
        d.putDetails("replication_lag_ms", "4");
      }
      b.addDependencies(d);
    }
    for (String other : List.of("region-x", "region-y")) {
      b.addVantage(VantageResult.newBuilder().setTargetRegion(other).setTargetUri("sip:edge." + other + ":5060")
          .setStatus(HealthStatus.HEALTH_STATUS_UP).setLatency(latency).setObservedAt(now));
    }
    return b.build();
  }

  /** One agent's stream: sends {@code count} reports as fast as flow control allows, then completes. */
  private static final class Agent implements ClientResponseObserver<HealthReport, Directive> {
    private final HealthReport template;
    private final int count;
    private final CountDownLatch done;
    private final AtomicReference<Throwable> failure;
    private long next = 1;
    private boolean completed;

    Agent(HealthReport template, int count, CountDownLatch done, AtomicReference<Throwable> failure) {
      this.template = template;
      this.count = count;
      this.done = done;
      this.failure = failure;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<HealthReport> requests) {
      requests.setOnReadyHandler(() -> {
        while (requests.isReady() && next <= count) {
          requests.onNext(template.toBuilder().setSequence(next++).build());
        }
        if (next > count && !completed) {
          completed = true;
          requests.onCompleted();
        }
      });
    }

    @Override
    public void onNext(Directive value) {
      // Directives are not part of the measurement.
    }

    @Override
    public void onError(Throwable t) {
      failure.compareAndSet(null, t);
      done.countDown();
    }

    @Override
    public void onCompleted() {
      done.countDown();
    }
  }

  /** The baseline: accepts the same stream and discards every report. */
  private static final class DiscardingAgentService extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public StreamObserver<HealthReport> report(StreamObserver<Directive> responses) {
      return new StreamObserver<>() {
        @Override
        public void onNext(HealthReport report) {
          // Discarded: this is the cost of gRPC alone.
        }

        @Override
        public void onError(Throwable t) {
          // Nothing to clean up.
        }

        @Override
        public void onCompleted() {
          responses.onCompleted();
        }
      };
    }
  }

  /** A leader view that never changes. */
  private static final class FixedLeader implements LeaderViewSource {
    @Override
    public LeaderView current() {
      return LeaderView.newBuilder().setReplicaId("bench").setLeaderId("bench").setEpoch(1).build();
    }

    @Override
    public void addListener(Consumer<LeaderView> listener) {
      // Never changes.
    }
  }
}
