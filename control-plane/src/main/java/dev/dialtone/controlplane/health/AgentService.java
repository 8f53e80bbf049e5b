package dev.dialtone.controlplane.health;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import dev.dialtone.controlplane.metrics.ReplicaMetrics;
import dev.dialtone.controlplane.health.IngestResult.Reason;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.LeaderView;
import dev.dialtone.proto.v1.ProbeNow;
import dev.dialtone.security.authz.Principal;
import dev.dialtone.security.identity.ReporterIdentity;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' stream into this replica: feeds the {@link HealthView}, ends a stream that sends a
 * report it cannot accept with a status saying why, and tells every open stream who leads, on
 * open and on each change. A report for a deployment or region other than the one the caller's
 * certificate names is refused with PERMISSION_DENIED before it reaches the view.
 *
 * <p>Metrics: {@code reports.accepted} (meter), {@code reports.duplicate}, {@code
 * reports.out_of_order}, {@code reports.rejected.<reason>}, {@code
 * dialtone_reports_refused_identity_total} (counters) and {@code agents.streams} (gauge).
 */
public final class AgentService extends AgentServiceGrpc.AgentServiceImplBase {
  private static final Logger log = LoggerFactory.getLogger(AgentService.class);

  private final HealthView view;
  private final LeaderViewSource leader;
  private final Clock clock;
  private final Meter accepted;
  private final Counter duplicate;
  private final Counter outOfOrder;
  private final Map<Reason, Counter> rejected = new EnumMap<>(Reason.class);
  private final Counter refusedIdentity;
  private final Counter probeNow;
  private final boolean allowUnverified;
  private final Runnable healthChanged;
  private final Set<AgentStream> streams = ConcurrentHashMap.newKeySet();

  /**
   * Registers its metrics in {@code metrics} and listens to {@code leader} for changes.
   *
   * @param allowUnverified take reports from callers without a verified identity (the plaintext
   *     dev/lab profile only); otherwise each report must match its sender's agent certificate
   */
  public AgentService(HealthView view, LeaderViewSource leader, MetricRegistry metrics, Clock clock, boolean allowUnverified) {
    this(view, leader, metrics, clock, allowUnverified, () -> {});
  }

  /**
   * As above, and calls {@code healthChanged} when an agent's report differs from its previous one
   * in readiness or any dependency's status, so the leader decides at once instead of at its next tick.
   */
  public AgentService(HealthView view, LeaderViewSource leader, MetricRegistry metrics, Clock clock, boolean allowUnverified,
      Runnable healthChanged) {
    this.healthChanged = healthChanged;
    this.view = view;
    this.allowUnverified = allowUnverified;
    this.refusedIdentity = metrics.counter(REFUSED_IDENTITY);
    this.leader = leader;
    this.clock = clock;
    this.accepted = metrics.meter(ReplicaMetrics.REPORTS_ACCEPTED.name());
    this.duplicate = metrics.counter(ReplicaMetrics.REPORTS_DUPLICATE.name());
    this.outOfOrder = metrics.counter(ReplicaMetrics.REPORTS_OUT_OF_ORDER.name());
    this.probeNow = metrics.counter(ReplicaMetrics.PROBE_NOW.name());
    for (Reason r : Reason.values()) {
      rejected.put(r, metrics.counter(ReplicaMetrics.REPORTS_REJECTED.name(r.metricName())));
    }
    metrics.gauge(ReplicaMetrics.AGENT_STREAMS.name(), () -> streams::size);
    leader.addListener(this::broadcast);
  }

  /** Reports refused because they claim another region or deployment than the sender's identity. */
  public static final String REFUSED_IDENTITY = ReplicaMetrics.REPORTS_REFUSED_IDENTITY.name();

  @Override
  public StreamObserver<HealthReport> report(StreamObserver<Directive> responses) {
    var stream = new AgentStream((ServerCallStreamObserver<Directive>) responses, Principal.current().orElse(null));
    streams.add(stream);
    stream.call.setOnCancelHandler(() -> streams.remove(stream));
    stream.send(directive(leader.current()));
    return stream;
  }

  private void broadcast(LeaderView next) {
    Directive d = directive(next);
    for (AgentStream s : streams) {
      s.send(d);
    }
  }

  private static Directive directive(LeaderView v) {
    return Directive.newBuilder().setLeader(v).build();
  }

  /** The gRPC status a rejected report ends its stream with. */
  static Status status(IngestResult rejectedResult, HealthReport r) {
    Status code = switch (rejectedResult.reason()) {
      case UNKNOWN_DEPLOYMENT, UNKNOWN_REGION -> Status.NOT_FOUND;
      case MALFORMED, OVERSIZED, CLOCK_SKEW -> Status.INVALID_ARGUMENT;
    };
    return code.withDescription("report rejected (" + rejectedResult.reason().metricName() + "): "
        + rejectedResult.detail() + " [region=" + r.getRegion() + " agent=" + r.getAgentId()
        + " sequence=" + r.getSequence() + "]");
  }

  /**
   * The leader asks a region that just turned DOWN to confirm at once: each of its agents streaming
   * to this replica probes everything now, so {@code policy.failAfter} is reached in seconds, not
   * probe intervals. Followers stay quiet (the leader's agents are the same agents).
   */
  private void askToConfirm(HealthReport report) {
    LeaderView v = leader.current();
    if (v.getLeaderId().isEmpty() || !v.getLeaderId().equals(v.getReplicaId())) {
      return;
    }
    String down = report.getDependenciesList().stream()
        .filter(d -> d.getCritical() && d.getStatus() == HealthStatus.HEALTH_STATUS_DOWN)
        .map(d -> d.getName()).sorted().reduce((a, b) -> a + ", " + b).orElse("");
    Directive d = Directive.newBuilder().setProbeNow(ProbeNow.newBuilder()
        .setReason("confirm " + report.getRegion() + " DOWN (" + down + ", reported by " + report.getAgentId() + ")")).build();
    int sent = 0;
    for (AgentStream s : streams) {
      if (report.getRegion().equals(s.region)) {
        s.send(d);
        sent++;
      }
    }
    probeNow.inc(sent);
    log.info("[region={}] turned DOWN ({} by {}): asked its {} agent stream(s) to probe now", report.getRegion(), down,
        report.getAgentId(), sent);
  }

  /** One agent's open stream. */
  private final class AgentStream implements StreamObserver<HealthReport> {
    final ServerCallStreamObserver<Directive> call;
    /** The region of its last accepted report. */
    volatile String region;
    private final Principal sender;
    private boolean closed;
    private List<String> lastVerdict = List.of();

    AgentStream(ServerCallStreamObserver<Directive> call, Principal sender) {
      this.call = call;
      this.sender = sender;
    }

    @Override
    public void onNext(HealthReport report) {
      Optional<String> denial = ReporterIdentity.denial(sender, report.getDeployment(), report.getRegion(),
          report.getAgentId(), allowUnverified);
      if (denial.isPresent()) {
        refusedIdentity.inc();
        end(Status.PERMISSION_DENIED.withDescription("report refused: " + denial.get()), report);
        return;
      }
      Instant now = clock.instant();
      // Only a report naming a critical dependency DOWN can turn its region DOWN: look before and after.
      boolean maybeDown = report.getDependenciesList().stream()
          .anyMatch(d -> d.getCritical() && d.getStatus() == HealthStatus.HEALTH_STATUS_DOWN);
      boolean downBefore = maybeDown && view.snapshot(now).region(report.getRegion()).status() == RegionStatus.DOWN;
      IngestResult result = view.ingest(report, now);
      switch (result.outcome()) {
        case ACCEPTED -> {
          accepted.mark();
          region = report.getRegion();
          if (maybeDown && !downBefore && view.snapshot(now).region(report.getRegion()).status() == RegionStatus.DOWN) {
            askToConfirm(report);
          }
          List<String> verdict = verdict(report);
          if (!verdict.equals(lastVerdict)) {
            lastVerdict = verdict;
            healthChanged.run();
          }
        }
        case DUPLICATE -> duplicate.inc();
        case STALE -> outOfOrder.inc();
        case REJECTED -> reject(result, report);
      }
    }

    /** What the policy reads from a report: readiness and each dependency's status. */
    private static List<String> verdict(HealthReport report) {
      List<String> v = new ArrayList<>(report.getDependenciesCount() + 1);
      v.add(report.getRegion() + (report.getReady() ? " ready" : " not ready"));
      report.getDependenciesList().forEach(d -> v.add(d.getName() + "=" + d.getStatus()));
      return v;
    }

    private void reject(IngestResult result, HealthReport report) {
      rejected.get(result.reason()).inc();
      end(status(result, report), report);
    }

    private void end(Status status, HealthReport report) {
      log.warn("[region={}] agent {}: {}", report.getRegion(), report.getAgentId(), status.getDescription());
      streams.remove(this);
      synchronized (this) {
        if (!closed) {
          closed = true;
          call.onError(status.asRuntimeException());
        }
      }
    }

    synchronized void send(Directive d) {
      if (closed || call.isCancelled()) {
        return;
      }
      try {
        call.onNext(d);
      } catch (StatusRuntimeException | IllegalStateException e) {
        // The call ended between the check and the send; the cancel handler removes the stream.
        log.debug("directive not sent: {}", e.toString());
      }
    }

    @Override
    public void onError(Throwable t) {
      streams.remove(this);
    }

    @Override
    public void onCompleted() {
      streams.remove(this);
      synchronized (this) {
        if (!closed) {
          closed = true;
          call.onCompleted();
        }
      }
    }
  }
}
