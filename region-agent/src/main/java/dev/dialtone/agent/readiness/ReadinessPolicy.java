package dev.dialtone.agent.readiness;

import dev.dialtone.agent.probe.ProbeState;
import dev.dialtone.proto.v1.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether the region is ready to take calls: every critical, local dependency has a
 * verdict of UP (DEGRADED counts: usable) observed within the readiness window. Pure.
 */
public final class ReadinessPolicy {
  private final Duration window;

  public ReadinessPolicy(Duration window) {
    this.window = window;
  }

  /** The verdict with one reason per critical dependency that is not ready. */
  public Readiness evaluate(List<ProbeState> states, Instant now) {
    List<String> reasons = new ArrayList<>();
    for (ProbeState s : states) {
      if (!s.spec().critical() || s.spec().isVantage()) {
        continue;
      }
      String name = s.spec().name();
      if (s.verdict() == HealthStatus.HEALTH_STATUS_UNSPECIFIED) {
        reasons.add(name + ": no verdict yet");
      } else if (s.verdict() == HealthStatus.HEALTH_STATUS_DOWN) {
        reasons.add(name + ": DOWN (" + s.last().cause() + ": " + s.last().errorText() + ")");
      } else if (s.lastAvailableAt() == null || s.lastAvailableAt().isBefore(now.minus(window))) {
        reasons.add(name + ": no successful probe within " + window);
      }
    }
    return new Readiness(reasons.isEmpty(), List.copyOf(reasons));
  }

  /** Whether the region is ready, and why not. */
  public record Readiness(boolean ready, List<String> reasons) {}
}
