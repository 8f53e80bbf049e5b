package dev.dialtone.controlplane.testing;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.TrafficTarget;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A test actuator that fences exactly like the real ones: it keeps the owner epoch and refuses an
 * older one, and (optionally) checks an {@link EpochGuard} before each write. It records every
 * applied write and can be scripted to fail the next calls.
 */
public final class FencingActuator implements TrafficActuator {
  /** One accepted write. */
  public record Write(long epoch, String planId, String target) {}

  private final String name;
  private final EpochGuard guard;
  private final Deque<ActuationException.Failure> scripted = new ArrayDeque<>();
  private final List<Write> writes = new ArrayList<>();
  private long ownerEpoch;
  private TrafficTarget current = new TrafficTarget.Outage();
  private int calls;

  public FencingActuator(String name, EpochGuard guard) {
    this.name = name;
    this.guard = guard;
  }

  @Override
  public String name() {
    return name;
  }

  /** The next {@code failures} apply calls fail this way, in order. */
  public synchronized FencingActuator failNext(ActuationException.Failure... failures) {
    scripted.addAll(List.of(failures));
    return this;
  }

  /** Drops the failures still scripted: the actuator works again. */
  public synchronized FencingActuator recover() {
    scripted.clear();
    return this;
  }

  @Override
  public synchronized ObservedRouting read() {
    List<String> ids = switch (current) {
      case TrafficTarget.Routed r -> r.regions().stream().map(RegionEdge::regionId).toList();
      case TrafficTarget.Outage o -> List.of();
    };
    return new ObservedRouting(ids, current instanceof TrafficTarget.Outage, ownerEpoch, current.describe());
  }

  @Override
  public synchronized void apply(long epoch, String planId, TrafficTarget target) throws ActuationException {
    calls++;
    if (!scripted.isEmpty()) {
      ActuationException.Failure f = scripted.poll();
      throw new ActuationException(f, name, "scripted " + f);
    }
    if (epoch < ownerEpoch) {
      throw new FencedException(name, epoch, ownerEpoch);
    }
    guard.check(epoch);
    ownerEpoch = epoch;
    current = target;
    writes.add(new Write(epoch, planId, target.describe()));
  }

  public synchronized List<Write> writes() {
    return List.copyOf(writes);
  }

  public synchronized int calls() {
    return calls;
  }

  public synchronized long ownerEpoch() {
    return ownerEpoch;
  }

  public synchronized String routing() {
    return current.describe();
  }
}
