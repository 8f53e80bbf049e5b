package dev.dialtone.dns.provider;

import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordSet;
import java.util.Objects;

/**
 * A compare-and-set condition on one ownership RRset: it must hold exactly {@code expected}'s
 * data, or not exist when {@code expected} is {@code null}.
 */
public record Precondition(RecordKey key, RecordSet expected) {
  public Precondition {
    Objects.requireNonNull(key, "key");
    if (expected != null && !expected.key().equals(key)) {
      throw new IllegalArgumentException("precondition on " + key + " expects " + expected.key());
    }
  }

  /** Whether {@code current} (null: absent) satisfies this condition (data only, TTL ignored). */
  public boolean heldBy(RecordSet current) {
    if (expected == null || current == null) {
      return expected == current;
    }
    return expected.data().equals(current.data());
  }

  @Override
  public String toString() {
    return key + (expected == null ? " absent" : " = " + expected.data());
  }
}
