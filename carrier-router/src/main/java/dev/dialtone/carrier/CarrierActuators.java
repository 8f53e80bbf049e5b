package dev.dialtone.carrier;

import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.kamailio.KamailioConfig;
import dev.dialtone.carrier.kamailio.KamailioDispatcherActuator;
import dev.dialtone.carrier.twilio.TwilioConfig;
import dev.dialtone.carrier.twilio.TwilioTrunkActuator;
import java.time.Clock;

/**
 * Makes the actuator of a configured carrier, so a deployment's Guice module binds one
 * {@link TrafficActuator} per {@code carrier:} entry without knowing each provider's class.
 * Every actuator returned is also {@link AutoCloseable}.
 */
public final class CarrierActuators {
  private CarrierActuators() {}

  /**
   * @param fallback the replica's {@code fallback:} plan ({@code FallbackConfig.plan()})
   * @param guard the leadership epoch check made before each apply
   * @param clock stamps ownership records
   */
  public static TrafficActuator create(CarrierConfig config, FallbackPlan fallback, EpochGuard guard, Clock clock) {
    return switch (config) {
      case KamailioConfig kamailio -> new KamailioDispatcherActuator(kamailio, fallback, guard, clock);
      case TwilioConfig twilio -> new TwilioTrunkActuator(twilio, fallback, guard);
      default -> throw new IllegalArgumentException("no carrier actuator for " + config.getClass().getName());
    };
  }
}
