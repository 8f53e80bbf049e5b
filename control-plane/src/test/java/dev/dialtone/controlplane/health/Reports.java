package dev.dialtone.controlplane.health;

import com.google.protobuf.Timestamp;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.VantageResult;
import java.time.Instant;

/** Health reports for tests: deployment {@code acme-voice}, one agent per region unless told. */
final class Reports {
  static final String DEPLOYMENT = "acme-voice";

  private Reports() {}

  static HealthReport.Builder report(String region, long sequence, Instant observedAt) {
    return HealthReport.newBuilder()
        .setDeployment(DEPLOYMENT)
        .setRegion(region)
        .setAgentId("agent-" + region)
        .setIncarnation(7)
        .setSequence(sequence)
        .setObservedAt(timestamp(observedAt))
        .setReady(true);
  }

  /** A report with a critical DB and LLM and a non-critical cache, all UP. */
  static HealthReport.Builder healthy(String region, long sequence, Instant observedAt) {
    return report(region, sequence, observedAt)
        .addDependencies(dependency("db", DependencyKind.DEPENDENCY_KIND_DB, HealthStatus.HEALTH_STATUS_UP, true))
        .addDependencies(dependency("llm", DependencyKind.DEPENDENCY_KIND_LLM, HealthStatus.HEALTH_STATUS_UP, true))
        .addDependencies(dependency("cache", DependencyKind.DEPENDENCY_KIND_CACHE, HealthStatus.HEALTH_STATUS_UP, false));
  }

  static DependencyResult dependency(String name, DependencyKind kind, HealthStatus status, boolean critical) {
    return DependencyResult.newBuilder().setName(name).setKind(kind).setStatus(status).setCritical(critical).build();
  }

  static VantageResult vantage(String target, HealthStatus status) {
    return VantageResult.newBuilder().setTargetRegion(target).setTargetUri("sip:edge." + target + ":5060")
        .setStatus(status).build();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
