package dev.dialtone.chaos.fault;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The paths broken by packet filter, by name; the lab registers them as it creates its network
 * namespaces, and every replica's {@link PacketFilterSwitch} reads them (thread-safe).
 */
public final class PacketFilterPaths {
  private final ConcurrentMap<String, PacketFilterPath> paths = new ConcurrentHashMap<>();

  /** Adds a path. @throws IllegalArgumentException if one by that name is already registered */
  public void register(PacketFilterPath path) {
    PacketFilterPath previous = paths.putIfAbsent(path.name(), path);
    if (previous != null) {
      throw new IllegalArgumentException("packet-filter path " + path.name() + " is already registered as " + previous);
    }
  }

  /** Removes a path (its namespace is going away); absent is fine. */
  public void unregister(String name) {
    paths.remove(name);
  }

  public Optional<PacketFilterPath> find(String name) {
    return Optional.ofNullable(paths.get(name));
  }

  public boolean contains(String name) {
    return paths.containsKey(name);
  }

  /** The registered names, sorted (for messages). */
  public List<String> names() {
    return paths.keySet().stream().sorted().toList();
  }
}
