package dev.dialtone.controlplane.plan;

import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.StateException;

/** Where the executor persists a plan and its history; every write is checked against the epoch. */
public interface PlanJournal {
  void savePlan(long epoch, Plan plan) throws StateException, InterruptedException;

  void record(long epoch, HistoryEntry entry) throws StateException, InterruptedException;
}
