package dev.dialtone.chaos.run;

import java.util.Optional;

/**
 * How a {@link DrillWorld} hands a run over when it faults the leader running it: first the run
 * stops here and gives its checkpoint, then the world stores it and reports back before the
 * process is killed or stopped.
 */
public interface Handover {
  /**
   * Records LEADER_LOST with {@code what} and stops the run on this leader; empty (nothing to do,
   * the fault must not happen) if the run is no longer running its steps.
   *
   * @param planInFlight the plan about to act when the fault was timed to it, or empty
   */
  Optional<RunCheckpoint> handOver(String what, String replicaId, String planInFlight);

  /** The checkpoint is stored: the run ends here as HANDED_OVER (the next leader reports it). */
  void handedOver();

  /** The checkpoint could not be stored or the fault not carried out: the run aborts here, which heals. */
  void notHandedOver(String why);
}
