package dev.dialtone.agent.probe;

import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The raw outcome of one probe attempt, before hysteresis. Probes return it with {@code latency}
 * and {@code observedAt} possibly null; the scheduler stamps both.
 */
public record ProbeResult(
    HealthStatus status,
    FailureCause cause,
    String errorText,
    Duration latency,
    Instant observedAt,
    Map<String, String> details) {

  public ProbeResult {
    errorText = errorText == null ? "" : errorText;
    details = details == null ? Map.of() : Map.copyOf(details);
  }

  /** A healthy attempt. */
  public static ProbeResult up() {
    return new ProbeResult(HealthStatus.HEALTH_STATUS_UP, FailureCause.FAILURE_CAUSE_UNSPECIFIED, "", null, null, Map.of());
  }

  /** A usable but impaired attempt. */
  public static ProbeResult degraded(FailureCause cause, String errorText) {
    return new ProbeResult(HealthStatus.HEALTH_STATUS_DEGRADED, cause, errorText, null, null, Map.of());
  }

  /** A failed attempt. */
  public static ProbeResult down(FailureCause cause, String errorText) {
    return new ProbeResult(HealthStatus.HEALTH_STATUS_DOWN, cause, errorText, null, null, Map.of());
  }

  /** This result with its time to first byte (or other protocol-specific latency). */
  public ProbeResult withLatency(Duration measured) {
    return new ProbeResult(status, cause, errorText, measured, observedAt, details);
  }

  /** This result with extra facts such as {@code sip_status}. */
  public ProbeResult withDetails(Map<String, String> extra) {
    var merged = new java.util.HashMap<>(details);
    merged.putAll(extra);
    return new ProbeResult(status, cause, errorText, latency, observedAt, merged);
  }

  /** Fills in what the probe left out: the finish time and, if unmeasured, the elapsed time. */
  public ProbeResult stamped(Instant at, Duration elapsed) {
    return new ProbeResult(status, cause, errorText, latency == null ? elapsed : latency, at, details);
  }

  /** Whether the attempt counts as a success for hysteresis (UP or DEGRADED). */
  public boolean isSuccess() {
    return status == HealthStatus.HEALTH_STATUS_UP || status == HealthStatus.HEALTH_STATUS_DEGRADED;
  }
}
