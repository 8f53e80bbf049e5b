package dev.dialtone.chaos.fault;

/** Heals every recorded fault of one run, then ends its liveness: shared by every lever. */
final class RunHealing {
  private RunHealing() {}

  static void heal(String runId, ToxicLedger ledger, ZooKeeperLiveRuns liveRuns, ToxicHealer healer) throws FaultException {
    FaultException first = null;
    for (ToxicRecord record : ledger.list()) {
      if (!record.runId().equals(runId)) {
        continue;
      }
      try {
        healer.heal(record);
        ledger.remove(record.id());
      } catch (FaultException e) {
        // Keep healing the others; the record stays for a retry or the orphan cleaner.
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
    liveRuns.release(runId);
  }
}
