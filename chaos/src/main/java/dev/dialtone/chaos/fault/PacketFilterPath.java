package dev.dialtone.chaos.fault;

import dev.dialtone.chaos.zookeeper.DrillZnodes;
import java.util.Objects;

/**
 * A dependency path broken with a {@link PacketFilter} instead of Toxiproxy: {@code name} is what
 * drills target ({@code <region>-<dependency>}, e.g. {@code us-east-carrier}), and the rules match
 * {@code protocol} packets to {@code port}.
 */
public record PacketFilterPath(String name, PacketFilter.Protocol protocol, int port, PacketFilter filter) {
  public PacketFilterPath {
    DrillZnodes.requireName("packet-filter path name", name);
    Objects.requireNonNull(protocol, "protocol of packet-filter path " + name);
    Objects.requireNonNull(filter, "filter of packet-filter path " + name);
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port of packet-filter path " + name + " must be 1..65535, not " + port);
    }
  }

  @Override
  public String toString() {
    return name + " (" + protocol + " port " + port + ")";
  }
}
