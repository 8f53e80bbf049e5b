package dev.dialtone.agent.report;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.probe.ProbeState;
import dev.dialtone.agent.readiness.ReadinessPolicy;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.VantageResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds {@link HealthReport}s from probe states: one incarnation per agent start, a sequence
 * that grows by one per report, local dependencies and vantage results apart.
 */
public final class ReportAssembler {
  private final String deployment;
  private final String region;
  private final String agentId;
  private final long incarnation;
  private final Duration probeInterval;
  private final ReadinessPolicy readiness;
  private final Clock clock;
  private final AtomicLong sequence = new AtomicLong();

  public ReportAssembler(
      String deployment, String region, String agentId, long incarnation,
      Duration probeInterval, ReadinessPolicy readiness, Clock clock) {
    this.deployment = deployment;
    this.region = region;
    this.agentId = agentId;
    this.incarnation = incarnation;
    this.probeInterval = probeInterval;
    this.readiness = readiness;
    this.clock = clock;
  }

  /** The next report; thread-safe, sequences are unique and increasing. */
  public synchronized HealthReport assemble(List<ProbeState> states) {
    Instant now = clock.instant();
    HealthReport.Builder report =
        HealthReport.newBuilder()
            .setDeployment(deployment)
            .setRegion(region)
            .setAgentId(agentId)
            .setIncarnation(incarnation)
            .setSequence(sequence.incrementAndGet())
            .setObservedAt(timestamp(now))
            .setReady(readiness.evaluate(states, now).ready())
            .setProbeInterval(duration(probeInterval));
    for (ProbeState s : states) {
      ProbeResult last = s.last();
      if (s.spec().isVantage()) {
        VantageResult.Builder v =
            VantageResult.newBuilder()
                .setTargetRegion(s.spec().vantageRegion())
                .setTargetUri(s.spec().target())
                .setStatus(s.verdict());
        if (last != null) {
          v.setLatency(duration(last.latency())).setCause(last.cause()).setErrorText(last.errorText())
              .setObservedAt(timestamp(last.observedAt()));
        }
        report.addVantage(v);
      } else {
        DependencyResult.Builder d =
            DependencyResult.newBuilder()
                .setKind(s.spec().kind())
                .setName(s.spec().name())
                .setStatus(s.verdict())
                .setCritical(s.spec().critical())
                .setConsecutive(s.consecutive());
        if (last != null) {
          d.setLastAttemptStatus(last.status()).setLatency(duration(last.latency()))
              .setCause(last.cause()).setErrorText(last.errorText())
              .setObservedAt(timestamp(last.observedAt())).putAllDetails(last.details());
        } else {
          d.setLastAttemptStatus(HealthStatus.HEALTH_STATUS_UNSPECIFIED).setCause(FailureCause.FAILURE_CAUSE_UNSPECIFIED);
        }
        report.addDependencies(d);
      }
    }
    return report.build();
  }

  /** The incarnation chosen at start. */
  public long incarnation() {
    return incarnation;
  }

  static com.google.protobuf.Timestamp timestamp(Instant t) {
    return com.google.protobuf.Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }
}
