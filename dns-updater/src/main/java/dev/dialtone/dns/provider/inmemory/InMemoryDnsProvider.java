package dev.dialtone.dns.provider.inmemory;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.dns.provider.ChangeSet;
import dev.dialtone.dns.provider.DnsProvider;
import dev.dialtone.dns.provider.Precondition;
import dev.dialtone.dns.provider.PreconditionFailedException;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A zone in memory with the same compare-and-set semantics as the real providers (certified by
 * the same contract tests), for other modules' tests. Failures can be queued to exercise retries.
 */
public final class InMemoryDnsProvider implements DnsProvider {
  private final Map<RecordKey, RecordSet> zone = new HashMap<>();
  private final Deque<ActuationException> queuedFailures = new ArrayDeque<>();
  private int applied;

  @Override
  public String name() {
    return "inmemory";
  }

  @Override
  public synchronized ZoneSnapshot read(Collection<RecordKey> keys) {
    Map<RecordKey, RecordSet> found = new HashMap<>();
    for (RecordKey key : keys) {
      RecordSet set = zone.get(key);
      if (set != null) {
        found.put(key, set);
      }
    }
    return new ZoneSnapshot(found);
  }

  @Override
  public synchronized void apply(ChangeSet change) throws ActuationException {
    ActuationException failure = queuedFailures.poll();
    if (failure != null) {
      throw failure;
    }
    for (Precondition p : change.preconditions()) {
      if (!p.heldBy(zone.get(p.key()))) {
        throw new PreconditionFailedException(
            "dns/" + name(), "precondition failed: " + p + ", zone holds " + zone.get(p.key()));
      }
    }
    change.deletes().forEach(d -> zone.remove(d.key()));
    change.upserts().forEach(u -> zone.put(u.key(), u));
    applied++;
  }

  /** Writes an RRset directly, as another writer would (e.g. another deployment's owner record). */
  public synchronized void put(RecordSet set) {
    zone.put(set.key(), set);
  }

  /** Makes the next {@link #apply} calls throw these, in order, before touching the zone. */
  public synchronized void failNext(ActuationException... failures) {
    queuedFailures.addAll(java.util.List.of(failures));
  }

  /** How many change sets were applied. */
  public synchronized int appliedCount() {
    return applied;
  }

  /** Everything the zone holds, sorted. */
  public synchronized Map<RecordKey, RecordSet> contents() {
    return new TreeMap<>(zone);
  }
}
