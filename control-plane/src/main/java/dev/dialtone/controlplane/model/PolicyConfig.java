package dev.dialtone.controlplane.model;

import java.time.Duration;
import java.util.Objects;

/**
 * The placement policy's settings (YAML {@code policy:}); defaults live in {@link #defaults()}.
 *
 * @param mode how much the control plane may do by itself
 * @param failAfter consecutive DOWN reports of the active region before it counts as confirmed
 *     down (on top of the agent's own hysteresis)
 * @param recoverAfter consecutive healthy reports before a region counts as recovered (to leave
 *     outage mode or fail back)
 * @param holdDown how long after a shift of the active region (by the policy or an operator) the
 *     policy waits before shifting it by itself (anti-flap)
 * @param failback whether traffic returns to the preferred region by itself
 * @param failbackHealthyFor how long the preferred region must be healthy before automatic failback
 * @param staleAfter silence after which a region's health is UNKNOWN
 * @param outageAutoExit whether outage mode ends by itself once a region is healthy again
 * @param provisioningHealthyFor how long a PROVISIONING region must be healthy to be promoted
 * @param manualHoldFor how long automatic failback leaves an operator's switchover or failover
 *     alone (a failure of the region they chose still fails over); zero: not at all
 * @param vantageQuorum how many other regions' agents must see a silent active region's edge DOWN
 *     before its silence counts as failure; 0 means a majority of the other registered regions
 */
public record PolicyConfig(
    Mode mode,
    int failAfter,
    int recoverAfter,
    Duration holdDown,
    FailbackMode failback,
    Duration failbackHealthyFor,
    Duration staleAfter,
    boolean outageAutoExit,
    Duration provisioningHealthyFor,
    Duration manualHoldFor,
    int vantageQuorum) {

  public PolicyConfig {
    Objects.requireNonNull(mode, "policy.mode must be set");
    Objects.requireNonNull(failback, "policy.failback must be set");
    atLeastOne("policy.failAfter", failAfter);
    atLeastOne("policy.recoverAfter", recoverAfter);
    notNegative("policy.holdDown", holdDown);
    notNegative("policy.failbackHealthyFor", failbackHealthyFor);
    positive("policy.staleAfter", staleAfter);
    notNegative("policy.provisioningHealthyFor", provisioningHealthyFor);
    notNegative("policy.failback.manualHoldFor", manualHoldFor);
    if (vantageQuorum < 0) {
      throw new IllegalArgumentException("policy.vantageQuorum must be >= 0 (0: a majority of the other regions; was "
          + vantageQuorum + ")");
    }
  }

  /** The settings with the default vantage quorum (a majority of the other regions). */
  public PolicyConfig(Mode mode, int failAfter, int recoverAfter, Duration holdDown, FailbackMode failback,
      Duration failbackHealthyFor, Duration staleAfter, boolean outageAutoExit, Duration provisioningHealthyFor,
      Duration manualHoldFor) {
    this(mode, failAfter, recoverAfter, holdDown, failback, failbackHealthyFor, staleAfter, outageAutoExit,
        provisioningHealthyFor, manualHoldFor, 0);
  }

  /** How many other regions must see the active region's edge DOWN, of {@code otherRegions} registered besides it. */
  public int vantageQuorumOf(int otherRegions) {
    return vantageQuorum > 0 ? vantageQuorum : otherRegions / 2 + 1;
  }

  /** A copy with another vantage quorum. */
  public PolicyConfig withVantageQuorum(int quorum) {
    return new PolicyConfig(mode, failAfter, recoverAfter, holdDown, failback, failbackHealthyFor,
        staleAfter, outageAutoExit, provisioningHealthyFor, manualHoldFor, quorum);
  }

  /** The settings with the default {@code manualHoldFor}. */
  public PolicyConfig(Mode mode, int failAfter, int recoverAfter, Duration holdDown, FailbackMode failback,
      Duration failbackHealthyFor, Duration staleAfter, boolean outageAutoExit, Duration provisioningHealthyFor) {
    this(mode, failAfter, recoverAfter, holdDown, failback, failbackHealthyFor, staleAfter, outageAutoExit,
        provisioningHealthyFor, DEFAULT_MANUAL_HOLD);
  }

  private static final Duration DEFAULT_MANUAL_HOLD = Duration.ofHours(1);

  /**
   * The defaults: AUTO, fail after 2, recover after 3, 60 s hold-down, manual failback after 10 min,
   * an operator's choice held for 1 h.
   */
  public static PolicyConfig defaults() {
    return new PolicyConfig(
        Mode.AUTO, 2, 3, Duration.ofSeconds(60), FailbackMode.MANUAL, Duration.ofMinutes(10),
        Duration.ofSeconds(5), true, Duration.ofMinutes(5), DEFAULT_MANUAL_HOLD, 0);
  }

  /** A copy in another mode. */
  public PolicyConfig withMode(Mode next) {
    return new PolicyConfig(next, failAfter, recoverAfter, holdDown, failback, failbackHealthyFor,
        staleAfter, outageAutoExit, provisioningHealthyFor, manualHoldFor, vantageQuorum);
  }

  private static void atLeastOne(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be >= 1 (was " + value + ")");
    }
  }

  private static void notNegative(String field, Duration value) {
    Objects.requireNonNull(value, field + " must be set");
    if (value.isNegative()) {
      throw new IllegalArgumentException(field + " must not be negative (was " + value + ")");
    }
  }

  private static void positive(String field, Duration value) {
    notNegative(field, value);
    if (value.isZero()) {
      throw new IllegalArgumentException(field + " must be positive (was " + value + ")");
    }
  }
}
