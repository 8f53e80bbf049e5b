package dev.dialtone.agent.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.agent.probe.ProbeResult;
import dev.dialtone.agent.probe.ProbeSpec;
import dev.dialtone.agent.probe.ProbeState;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadinessPolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-22T21:00:00Z");
  private final ReadinessPolicy policy = new ReadinessPolicy(Duration.ofSeconds(10));

  private static ProbeSpec spec(String name, boolean critical, String vantage) {
    return new ProbeSpec(name, DependencyKind.DEPENDENCY_KIND_DB, critical, Duration.ofSeconds(1),
        Duration.ofMillis(500), Duration.ofMillis(200), 2, 3, vantage, "t");
  }

  private static ProbeState state(ProbeSpec spec, HealthStatus verdict, Instant lastAvailable) {
    ProbeResult last = ProbeResult.down(FailureCause.FAILURE_CAUSE_REFUSED, "connection refused");
    return new ProbeState(spec, verdict, last, 1, lastAvailable);
  }

  @Test
  void readyWhenEveryCriticalLocalDependencyIsAvailableWithinTheWindow() {
    var r = policy.evaluate(List.of(
        state(spec("db", true, null), HealthStatus.HEALTH_STATUS_UP, NOW.minusSeconds(1)),
        state(spec("llm", true, null), HealthStatus.HEALTH_STATUS_DEGRADED, NOW),
        state(spec("optional", false, null), HealthStatus.HEALTH_STATUS_DOWN, null),
        state(spec("vantage:us-west", false, "us-west"), HealthStatus.HEALTH_STATUS_DOWN, null)), NOW);
    assertThat(r.ready()).isTrue();
    assertThat(r.reasons()).isEmpty();
  }

  @Test
  void namesEachCriticalDependencyThatIsNotReady() {
    var r = policy.evaluate(List.of(
        state(spec("db", true, null), HealthStatus.HEALTH_STATUS_DOWN, NOW.minusSeconds(30)),
        ProbeState.initial(spec("cache", true, null)),
        state(spec("llm", true, null), HealthStatus.HEALTH_STATUS_UP, NOW.minusSeconds(11))), NOW);
    assertThat(r.ready()).isFalse();
    assertThat(r.reasons()).containsExactly(
        "db: DOWN (FAILURE_CAUSE_REFUSED: connection refused)",
        "cache: no verdict yet",
        "llm: no successful probe within PT10S");
  }
}
