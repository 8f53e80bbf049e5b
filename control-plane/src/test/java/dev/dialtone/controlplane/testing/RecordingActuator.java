package dev.dialtone.controlplane.testing;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.TrafficTarget;
import java.util.List;

/** One replica's handle on a shared actuator, recording which replica wrote under which epoch. */
public final class RecordingActuator implements TrafficActuator {
  /** A write the target accepted. */
  public record Accepted(String replica, String actuator, long epoch, String planId) {}

  private final String replica;
  private final TrafficActuator target;
  private final List<Accepted> log;

  public RecordingActuator(String replica, TrafficActuator target, List<Accepted> log) {
    this.replica = replica;
    this.target = target;
    this.log = log;
  }

  @Override
  public String name() {
    return target.name();
  }

  @Override
  public ObservedRouting read() throws ActuationException {
    return target.read();
  }

  @Override
  public void apply(long epoch, String planId, TrafficTarget t) throws ActuationException {
    target.apply(epoch, planId, t);
    log.add(new Accepted(replica, target.name(), epoch, planId));
  }
}
