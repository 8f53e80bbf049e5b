package dev.dialtone.dns.provider;

import dev.dialtone.dns.record.RecordSet;
import java.util.List;

/**
 * Everything one shift changes, applied atomically or not at all, and only if every
 * precondition holds at the server.
 *
 * @param preconditions the ownership RRsets' exact current values (compare-and-set)
 * @param upserts RRsets to create or replace, the new ownership records among them
 * @param deletes RRsets to remove, with the exact data last read (Route 53 needs it)
 */
public record ChangeSet(List<Precondition> preconditions, List<RecordSet> upserts, List<RecordSet> deletes) {
  public ChangeSet {
    preconditions = List.copyOf(preconditions);
    upserts = List.copyOf(upserts);
    deletes = List.copyOf(deletes);
    if (preconditions.isEmpty()) {
      throw new IllegalArgumentException("a change set without an ownership precondition is not fenced");
    }
  }

  @Override
  public String toString() {
    return "if " + preconditions + " upsert " + upserts + " delete " + deletes;
  }
}
