package dev.dialtone.agent.report;

import io.grpc.ManagedChannel;

/** Makes the channel to one control-plane replica; the one seam where TLS will slot in. */
@FunctionalInterface
public interface ChannelFactory {
  /** A channel to {@code target} ({@code host:port}). */
  ManagedChannel create(String target);
}
