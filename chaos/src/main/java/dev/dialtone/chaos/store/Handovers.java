package dev.dialtone.chaos.store;

import dev.dialtone.chaos.run.RunCheckpoint;
import java.io.IOException;
import java.util.List;

/** Where a leader that faults itself leaves its drill run for the next leader ({@link ZooKeeperHandovers}). */
public interface Handovers {
  /** Stores {@code checkpoint}, replacing one of the same run. */
  void save(RunCheckpoint checkpoint) throws IOException;

  /** Every stored handover. */
  List<RunCheckpoint> list() throws IOException;

  /** Removes the handover of {@code runId} (idempotent). */
  void remove(String runId) throws IOException;
}
