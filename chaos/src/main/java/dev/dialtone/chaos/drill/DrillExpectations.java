package dev.dialtone.chaos.drill;

import dev.dialtone.config.constraint.PositiveDuration;
import java.time.Duration;

/**
 * What must happen for a drill to pass. {@code shiftedWithin}: fault injected → carrier and DNS
 * both shifted; {@code failedBackWithin}: healed → traffic back. A {@code null} window is not
 * checked.
 */
public record DrillExpectations(
    @PositiveDuration Duration shiftedWithin, @PositiveDuration Duration failedBackWithin, Boolean noOutageMode,
    Boolean noFailedLabCalls) {

  /** Defaults: no time windows, outage mode and failed lab calls are breaches. */
  public static final DrillExpectations DEFAULT = new DrillExpectations(null, null, null, null);

  public DrillExpectations {
    noOutageMode = noOutageMode == null || noOutageMode;
    noFailedLabCalls = noFailedLabCalls == null || noFailedLabCalls;
  }
}
