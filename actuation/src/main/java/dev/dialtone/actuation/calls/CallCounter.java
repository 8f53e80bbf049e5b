package dev.dialtone.actuation.calls;

import dev.dialtone.actuation.ActuationException;

/** A carrier that can tell how many calls it routed where: calls as evidence of what a shift did. */
public interface CallCounter {
  /** The carrier's name, as its actuator's. */
  String name();

  /** Its counts now, read from the carrier itself. */
  CallCounts calls() throws ActuationException;
}
