package dev.dialtone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.probe.ProbeSpec;
import dev.dialtone.agent.probe.ProbeState;
import dev.dialtone.agent.readiness.ReadinessPolicy;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportAssemblerTest {
  private static final Instant NOW = Instant.parse("2026-11-22T21:00:00.250Z");
  private final ReportAssembler assembler = new ReportAssembler("acme-voice", "us-east", "us-east-a", 77,
      Duration.ofSeconds(1), new ReadinessPolicy(Duration.ofSeconds(10)), Clock.fixed(NOW, ZoneOffset.UTC));

  private static ProbeSpec spec(String name, DependencyKind kind, String vantage) {
    return new ProbeSpec(name, kind, vantage == null, Duration.ofSeconds(1), Duration.ofMillis(500),
        Duration.ofMillis(200), 2, 3, vantage, "sip:edge.us-west.example.com");
  }

  @Test
  void numbersReportsAndSeparatesLocalDependenciesFromVantage() {
    ProbeResult db = ProbeResult.degraded(FailureCause.FAILURE_CAUSE_REPLICATION_LAG, "lag 9000 ms")
        .withDetails(Map.of("replication_lag_ms", "9000")).stamped(NOW.minusMillis(100), Duration.ofMillis(12));
    ProbeResult edge = ProbeResult.down(FailureCause.FAILURE_CAUSE_TIMEOUT, "no answer").stamped(NOW, Duration.ofMillis(500));
    List<ProbeState> states = List.of(
        new ProbeState(spec("db", DependencyKind.DEPENDENCY_KIND_DB, null), HealthStatus.HEALTH_STATUS_DEGRADED, db, 4, NOW),
        ProbeState.initial(spec("cache", DependencyKind.DEPENDENCY_KIND_CACHE, null)),
        new ProbeState(spec("vantage:us-west", DependencyKind.DEPENDENCY_KIND_CARRIER, "us-west"), HealthStatus.HEALTH_STATUS_DOWN, edge, 2, null));

    HealthReport first = assembler.assemble(states);
    HealthReport second = assembler.assemble(states);

    assertThat(first.getSequence()).isEqualTo(1);
    assertThat(second.getSequence()).isEqualTo(2);
    assertThat(first.getIncarnation()).isEqualTo(77);
    assertThat(first.getObservedAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
    assertThat(first.getObservedAt().getNanos()).isEqualTo(250_000_000);
    assertThat(first.getProbeInterval().getSeconds()).isEqualTo(1);
    assertThat(first.getReady()).as("cache has no verdict yet").isFalse();

    assertThat(first.getDependenciesList()).hasSize(2);
    var dbResult = first.getDependencies(0);
    assertThat(dbResult.getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_DEGRADED);
    assertThat(dbResult.getCause()).isEqualTo(FailureCause.FAILURE_CAUSE_REPLICATION_LAG);
    assertThat(dbResult.getLatency().getNanos()).isEqualTo(12_000_000);
    assertThat(dbResult.getConsecutive()).isEqualTo(4);
    assertThat(dbResult.getCritical()).isTrue();
    assertThat(dbResult.getDetailsMap()).containsEntry("replication_lag_ms", "9000");
    assertThat(first.getDependencies(1).getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_UNSPECIFIED);

    assertThat(first.getVantageList()).singleElement().satisfies(v -> {
      assertThat(v.getTargetRegion()).isEqualTo("us-west");
      assertThat(v.getTargetUri()).isEqualTo("sip:edge.us-west.example.com");
      assertThat(v.getStatus()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(v.getCause()).isEqualTo(FailureCause.FAILURE_CAUSE_TIMEOUT);
    });
  }
}
