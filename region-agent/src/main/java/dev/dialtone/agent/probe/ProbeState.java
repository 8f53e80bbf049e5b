package dev.dialtone.agent.probe;

import dev.dialtone.proto.v1.HealthStatus;
import java.time.Instant;

/**
 * An immutable view of one probe: its spec, verdict after hysteresis, latest raw result, and
 * when it was last available (UP or DEGRADED verdict), for readiness windows.
 */
public record ProbeState(
    ProbeSpec spec, HealthStatus verdict, ProbeResult last, int consecutive, Instant lastAvailableAt) {

  /** The state of a probe that has not finished an attempt yet. */
  public static ProbeState initial(ProbeSpec spec) {
    return new ProbeState(spec, HealthStatus.HEALTH_STATUS_UNSPECIFIED, null, 0, null);
  }
}
