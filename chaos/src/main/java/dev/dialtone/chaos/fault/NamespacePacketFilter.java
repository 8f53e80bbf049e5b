package dev.dialtone.chaos.fault;

import dev.dialtone.peers.netns.NetworkNamespace;

/**
 * The {@link PacketFilter} lever over a network namespace on this host: nftables drop/reject
 * rules inside it. The namespace may be made by another process (the lab) after this one starts:
 * it is looked up by name at the first rule.
 */
public final class NamespacePacketFilter implements PacketFilter {
  private final String name;
  private NetworkNamespace namespace;

  /** A filter over the namespace this process made. */
  public NamespacePacketFilter(NetworkNamespace namespace) {
    this.name = namespace.name();
    this.namespace = namespace;
  }

  /** A filter over the namespace called {@code name}, made by another process. */
  public NamespacePacketFilter(String name) {
    this.name = name;
  }

  private synchronized NetworkNamespace namespace() {
    if (namespace == null) {
      namespace = NetworkNamespace.existing(name);
    }
    return namespace;
  }

  @Override
  public void drop(Protocol protocol, int port, String tag) {
    namespace().blackhole(NetworkNamespace.Protocol.valueOf(protocol.name()), port, tag);
  }

  @Override
  public void reject(Protocol protocol, int port, String tag) {
    namespace().refuse(NetworkNamespace.Protocol.valueOf(protocol.name()), port, tag);
  }

  @Override
  public void remove(String tag) {
    namespace().heal(tag);
  }

  @Override
  public boolean netemAvailable() {
    return namespace().netemAvailable();
  }

  @Override
  public String toString() {
    return "netns " + name;
  }
}
