package dev.dialtone.dns.record;

import java.util.Locale;
import java.util.Objects;

/**
 * An RRset's identity: an absolute, lower-case name with its trailing dot, and a type.
 *
 * @param name e.g. {@code voice.example.com.}
 * @param type e.g. {@link RecordType#A}
 */
public record RecordKey(String name, RecordType type) implements Comparable<RecordKey> {
  public RecordKey {
    name = absolute(name);
    Objects.requireNonNull(type, "type");
  }

  /** Lower-cases {@code name} and checks it is absolute (ends with a dot). */
  public static String absolute(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.endsWith(".") || name.length() < 2) {
      throw new IllegalArgumentException("DNS name must be absolute (end with a dot): '" + name + "'");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  @Override
  public int compareTo(RecordKey other) {
    int byName = name.compareTo(other.name);
    return byName != 0 ? byName : type.compareTo(other.type);
  }

  @Override
  public String toString() {
    return name + " " + type;
  }
}
