package dev.dialtone.lab;

import dev.dialtone.chaos.fault.PacketFilter;
import dev.dialtone.testkit.netns.NetworkNamespace;

/** The chaos {@link PacketFilter} lever over a region's network namespace: nftables drop/reject rules. */
record NamespacePacketFilter(NetworkNamespace namespace) implements PacketFilter {
  @Override
  public void drop(Protocol protocol, int port, String tag) {
    namespace.blackhole(NetworkNamespace.Protocol.valueOf(protocol.name()), port, tag);
  }

  @Override
  public void reject(Protocol protocol, int port, String tag) {
    namespace.refuse(NetworkNamespace.Protocol.valueOf(protocol.name()), port, tag);
  }

  @Override
  public void remove(String tag) {
    namespace.heal(tag);
  }

  @Override
  public boolean netemAvailable() {
    return namespace.netemAvailable();
  }
}
