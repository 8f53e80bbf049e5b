package dev.dialtone.agent.probe;

import dev.dialtone.proto.v1.DependencyKind;
import java.time.Duration;

/**
 * How one probe is run: its identity, schedule, latency threshold and hysteresis. A probe with a
 * {@code vantageRegion} checks another region's public edge rather than a local dependency.
 */
public record ProbeSpec(
    String name,
    DependencyKind kind,
    boolean critical,
    Duration interval,
    Duration timeout,
    Duration degradedAbove,
    int failAfter,
    int recoverAfter,
    String vantageRegion,
    String target) {

  /** Whether this probe watches another region's edge. */
  public boolean isVantage() {
    return vantageRegion != null;
  }
}
