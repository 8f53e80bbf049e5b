package dev.dialtone.dns.record;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * An RRset with its data in presentation form, normalized and sorted so that two reads of the
 * same content compare equal whichever provider they came from: addresses in Java's canonical
 * text, names lower-case and absolute, SRV as {@code "priority weight port target."}, TXT quoted.
 *
 * @param ttl the TTL, whole seconds
 * @param data never empty: an absent RRset is expressed by its absence
 */
public record RecordSet(RecordKey key, Duration ttl, List<String> data) {
  public RecordSet {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(key + ": TTL must be whole non-negative seconds, got " + ttl);
    }
    List<String> normalized = new ArrayList<>();
    for (String value : data) {
      normalized.add(normalize(key.type(), value));
    }
    if (normalized.isEmpty()) {
      throw new IllegalArgumentException(key + ": an RRset needs at least one record");
    }
    normalized.sort(null);
    data = List.copyOf(normalized.stream().distinct().toList());
  }

  /** An RRset of {@code name}/{@code type}. */
  public static RecordSet of(String name, RecordType type, Duration ttl, List<String> data) {
    return new RecordSet(new RecordKey(name, type), ttl, data);
  }

  public String name() {
    return key.name();
  }

  public RecordType type() {
    return key.type();
  }

  @Override
  public String toString() {
    return key + " ttl=" + ttl.toSeconds() + " " + data;
  }

  static String normalize(RecordType type, String value) {
    Objects.requireNonNull(value, "record data");
    String v = value.strip();
    return switch (type) {
      case A, AAAA -> address(type, v);
      case CNAME -> RecordKey.absolute(v);
      case SRV -> srv(v);
      case TXT -> v.startsWith("\"") ? v : "\"" + v + "\"";
    };
  }

  private static String address(RecordType type, String v) {
    boolean v6 = v.contains(":");
    if (v6 != (type == RecordType.AAAA) || !v.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("not an " + (type == RecordType.A ? "IPv4" : "IPv6") + " address: '" + v + "'");
    }
    try {
      // A literal only: getByName does no lookup for it.
      return InetAddress.getByName(v).getHostAddress().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address: '" + v + "'", e);
    }
  }

  private static String srv(String v) {
    String[] parts = v.split("\\s+");
    if (parts.length != 4) {
      throw new IllegalArgumentException("SRV data must be 'priority weight port target.': '" + v + "'");
    }
    try {
      return Integer.parseInt(parts[0]) + " " + Integer.parseInt(parts[1]) + " " + Integer.parseInt(parts[2])
          + " " + RecordKey.absolute(parts[3]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("SRV data must be 'priority weight port target.': '" + v + "'", e);
    }
  }
}
