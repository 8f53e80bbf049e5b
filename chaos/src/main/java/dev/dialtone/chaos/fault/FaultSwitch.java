package dev.dialtone.chaos.fault;

import dev.dialtone.chaos.drill.Fault;
import java.util.List;

/** Puts a run's faults on a proxy and takes them off again; what the drill runner drives. */
public interface FaultSwitch {
  /** Records, then injects every fault of a run on {@code proxy}; on failure heals what it did. */
  void inject(String runId, long epoch, String proxy, List<Fault> faults) throws FaultException;

  /** Heals every fault of a run (idempotent) and ends the run's liveness. */
  void heal(String runId) throws FaultException;

  /** Takes over the faults another leader injected under {@code runId}: they are this replica's to heal now. */
  default void adopt(String runId) throws FaultException {}
}
