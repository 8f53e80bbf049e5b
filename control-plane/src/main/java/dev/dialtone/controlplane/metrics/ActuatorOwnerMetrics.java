package dev.dialtone.controlplane.metrics;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.TrafficActuator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch each actuator's ownership record holds, read back from the target itself (BIND's
 * TXT record, Kamailio's owner row) by the leader: below {@code dialtone_epoch} for long means the
 * actuator lags this term (a claim or shift that did not land). NaN while it cannot be read.
 */
public final class ActuatorOwnerMetrics {
  private static final Logger log = LoggerFactory.getLogger(ActuatorOwnerMetrics.class);

  private final List<TrafficActuator> actuators;
  private final BooleanSupplier leading;
  private final Map<String, Double> owners = new ConcurrentHashMap<>();

  public ActuatorOwnerMetrics(MetricRegistry metrics, List<TrafficActuator> actuators, BooleanSupplier leading) {
    this.actuators = List.copyOf(actuators);
    this.leading = leading;
    for (TrafficActuator a : this.actuators) {
      metrics.gauge(ReplicaMetrics.ACTUATOR_OWNER_EPOCH.name(a.name()),
          () -> (Gauge<Double>) () -> owners.getOrDefault(a.name(), Double.NaN));
    }
  }

  /** Reads every actuator once while leading; a follower exports NaN (it does not read). */
  public void sample() {
    boolean leads = leading.getAsBoolean();
    for (TrafficActuator a : actuators) {
      if (!leads) {
        owners.remove(a.name());
        continue;
      }
      try {
        owners.put(a.name(), (double) a.read().ownerEpoch());
      } catch (ActuationException e) {
        owners.remove(a.name());
        log.debug("owner of {} not read: {}", a.name(), e.getMessage());
      }
    }
  }
}
