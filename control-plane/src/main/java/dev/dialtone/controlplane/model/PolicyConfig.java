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
 * @param holdDown minimum time between two automatic shifts (anti-flap)
 * @param failback whether traffic returns to the preferred region by itself
 * @param failbackHealthyFor how long the preferred region must be healthy before automatic failback
 * @param staleAfter silence after which a region's health is UNKNOWN
 * @param outageAutoExit whether outage mode ends by itself once a region is healthy again
 * @param provisioningHealthyFor how long a PROVISIONING region must be healthy to be promoted
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
    Duration provisioningHealthyFor) {

  public PolicyConfig {
    Objects.requireNonNull(mode, "policy.mode must be set");
    Objects.requireNonNull(failback, "policy.failback must be set");
    atLeastOne("policy.failAfter", failAfter);
    atLeastOne("policy.recoverAfter", recoverAfter);
    notNegative("policy.holdDown", holdDown);
    notNegative("policy.failbackHealthyFor", failbackHealthyFor);
    positive("policy.staleAfter", staleAfter);
    notNegative("policy.provisioningHealthyFor", provisioningHealthyFor);
  }

  /** The defaults: AUTO, fail after 2, recover after 3, 60 s hold-down, manual failback after 10 min. */
  public static PolicyConfig defaults() {
    return new PolicyConfig(
        Mode.AUTO, 2, 3, Duration.ofSeconds(60), FailbackMode.MANUAL, Duration.ofMinutes(10),
        Duration.ofSeconds(5), true, Duration.ofMinutes(5));
  }

  /** A copy in another mode. */
  public PolicyConfig withMode(Mode next) {
    return new PolicyConfig(next, failAfter, recoverAfter, holdDown, failback, failbackHealthyFor,
        staleAfter, outageAutoExit, provisioningHealthyFor);
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
