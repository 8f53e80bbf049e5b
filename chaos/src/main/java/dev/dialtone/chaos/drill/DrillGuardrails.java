package dev.dialtone.chaos.drill;

import dev.dialtone.config.constraint.PositiveDuration;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Safety stops of a drill: preflight conditions (all on by default), when to abort, and the
 * maximum duration after which the faults are healed whatever happens.
 */
public record DrillGuardrails(
    Boolean requireHealthyStandby,
    Boolean requireNoPlanInFlight,
    Boolean requireNotFrozen,
    Boolean abortOnIncidentElsewhere,
    Boolean abortOnBreach,
    @NotNull(message = "is required: faults are healed by then whatever happens") @PositiveDuration Duration maxDuration) {

  public DrillGuardrails {
    requireHealthyStandby = orTrue(requireHealthyStandby);
    requireNoPlanInFlight = orTrue(requireNoPlanInFlight);
    requireNotFrozen = orTrue(requireNotFrozen);
    abortOnIncidentElsewhere = orTrue(abortOnIncidentElsewhere);
    abortOnBreach = orTrue(abortOnBreach);
  }

  private static Boolean orTrue(Boolean value) {
    return value == null || value;
  }
}
