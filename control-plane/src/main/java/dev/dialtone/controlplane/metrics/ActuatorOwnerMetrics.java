package dev.dialtone.controlplane.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.dialtone.controlplane.actuation.RoutingReadBack;
import java.util.function.BooleanSupplier;

/**
 * The epoch each actuator's ownership record holds, read back from the target itself (BIND's
 * TXT record, Kamailio's owner row) on the leader: below {@code dialtone_epoch} for long means the
 * actuator lags this term (a claim or shift that did not land). A scrape asks the replica's one
 * {@link RoutingReadBack} (which reads at most every few seconds, and only while asked); NaN on
 * followers and while an actuator has never been read.
 */
public final class ActuatorOwnerMetrics {
  private ActuatorOwnerMetrics() {}

  /** Registers one gauge per actuator the read-back covers. */
  public static void register(MetricRegistry metrics, RoutingReadBack readBack, BooleanSupplier leading) {
    for (RoutingReadBack.Reading r : readBack.latest()) {
      String actuator = r.actuator();
      metrics.gauge(ReplicaMetrics.ACTUATOR_OWNER_EPOCH.name(actuator), () -> (Gauge<Double>) () -> !leading.getAsBoolean()
          ? Double.NaN
          : readBack.latest().stream().filter(x -> x.actuator().equals(actuator)).findFirst()
              .flatMap(RoutingReadBack.Reading::routing).map(o -> (double) o.ownerEpoch()).orElse(Double.NaN));
    }
  }
}
