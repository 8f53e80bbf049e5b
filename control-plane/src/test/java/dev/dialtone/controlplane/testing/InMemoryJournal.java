package dev.dialtone.controlplane.testing;

import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanJournal;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.StaleEpochException;
import java.util.ArrayList;
import java.util.List;

/** A plan journal in memory for unit tests, with a current epoch that fences older writers. */
public final class InMemoryJournal implements PlanJournal {
  private final List<Plan> saved = new ArrayList<>();
  private final List<HistoryEntry> history = new ArrayList<>();
  private long currentEpoch;

  public InMemoryJournal(long currentEpoch) {
    this.currentEpoch = currentEpoch;
  }

  public synchronized void newEpoch(long epoch) {
    currentEpoch = epoch;
  }

  @Override
  public synchronized void savePlan(long epoch, Plan plan) throws StaleEpochException {
    if (epoch != currentEpoch) {
      throw new StaleEpochException(epoch, "plan " + plan.id());
    }
    saved.add(plan);
  }

  @Override
  public synchronized void record(long epoch, HistoryEntry entry) throws StaleEpochException {
    if (epoch != currentEpoch) {
      throw new StaleEpochException(epoch, "history");
    }
    history.add(entry);
  }

  public synchronized List<Plan> saved() {
    return List.copyOf(saved);
  }

  public synchronized List<HistoryEntry> history() {
    return List.copyOf(history);
  }
}
