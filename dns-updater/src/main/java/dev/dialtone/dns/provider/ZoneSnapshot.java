package dev.dialtone.dns.provider;

import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The RRsets a provider read for the keys it was asked about; an absent key has no RRset. */
public record ZoneSnapshot(Map<RecordKey, RecordSet> rrsets) {
  public ZoneSnapshot {
    rrsets = Map.copyOf(rrsets);
  }

  public Optional<RecordSet> get(RecordKey key) {
    return Optional.ofNullable(rrsets.get(key));
  }

  @Override
  public String toString() {
    return new TreeMap<>(rrsets).values().toString();
  }
}
