package dev.dialtone.dns.record;

import java.time.Duration;
import java.util.Objects;

/**
 * One RRset Dialtone manages, from the configuration: its data follows the placement.
 *
 * @param name absolute, e.g. {@code voice.example.com.} or {@code _sip._udp.voice.example.com.}
 * @param type A, AAAA, CNAME or SRV (TXT is reserved for ownership records)
 * @param ttl low, so a shift reaches resolvers quickly (default 30 s)
 */
public record ManagedRecord(String name, RecordType type, Duration ttl) {
  /** The TTL used when a record does not set one. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

  public ManagedRecord {
    name = RecordKey.absolute(name);
    Objects.requireNonNull(type, "type");
    if (type == RecordType.TXT) {
      throw new IllegalArgumentException(name + ": TXT is reserved for ownership records");
    }
    ttl = ttl == null ? DEFAULT_TTL : ttl;
    if (ttl.isNegative() || ttl.isZero() || ttl.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(name + " " + type + ": ttl must be whole positive seconds, got " + ttl);
    }
  }

  public RecordKey key() {
    return new RecordKey(name, type);
  }
}
