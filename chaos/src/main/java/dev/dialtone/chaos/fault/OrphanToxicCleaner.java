package dev.dialtone.chaos.fault;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heals toxics whose run has no live owner (its leader died mid-drill) and deletes their records.
 * The leader runs it when it gains leadership and then periodically: the old leader's marker only
 * vanishes when its ZooKeeper session expires.
 */
public final class OrphanToxicCleaner {
  private static final Logger log = LoggerFactory.getLogger(OrphanToxicCleaner.class);

  private final ToxicLedger ledger;
  private final LiveRuns liveRuns;
  private final ToxicHealer healer;

  /** {@code healer}: a {@link RoutingFaultSwitch} heals every lever's faults, a {@link FaultInjector} only toxics. */
  public OrphanToxicCleaner(ToxicLedger ledger, LiveRuns liveRuns, ToxicHealer healer) {
    this.ledger = ledger;
    this.liveRuns = liveRuns;
    this.healer = healer;
  }

  /** Heals every orphan it can; returns the ones healed. A failure leaves the record for next time. */
  public List<ToxicRecord> clean() throws FaultException {
    List<ToxicRecord> healed = new ArrayList<>();
    for (ToxicRecord record : ledger.list()) {
      if (liveRuns.isLive(record.runId())) {
        continue;
      }
      try {
        healer.heal(record);
        ledger.remove(record.id());
        healed.add(record);
        log.warn("[epoch={} run={}] healed orphaned toxic {} on {}", record.epoch(), record.runId(), record.toxic(), record.proxy());
      } catch (FaultException e) {
        log.warn("[epoch={} run={}] orphaned toxic {} not healed yet: {}", record.epoch(), record.runId(), record.id(), e.getMessage());
      }
    }
    return healed;
  }
}
