package dev.dialtone.chaos.fault;

/**
 * The seam to a packet filter on one network path (in the lab: nftables rules inside a network
 * namespace, {@code dev.dialtone.peers.netns.NetworkNamespace}). Rules carry a tag so one fault
 * can be removed alone.
 */
public interface PacketFilter {
  /** The transport a rule matches. */
  enum Protocol { UDP, TCP }

  /** Silently drops every packet to {@code port}: a blackhole. */
  void drop(Protocol protocol, int port, String tag) throws Exception;

  /** Rejects every packet to {@code port} (TCP reset; ICMP port unreachable for UDP). */
  void reject(Protocol protocol, int port, String tag) throws Exception;

  /** Removes the rules tagged {@code tag}; none left is fine. */
  void remove(String tag) throws Exception;

  /** Whether the kernel has the {@code netem} qdisc (delay, loss), for error messages. */
  boolean netemAvailable();
}
