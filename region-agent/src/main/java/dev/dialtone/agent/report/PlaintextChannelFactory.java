package dev.dialtone.agent.report;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Plaintext channels with HTTP/2 keepalive, so a replica that vanishes without closing its
 * connection is noticed after about {@code keepAliveTime + keepAliveTimeout}. The replica must
 * permit pings that often ({@code permitKeepAliveTime} ≤ keepAliveTime) or it will close the
 * connection with ENHANCE_YOUR_CALM; the control plane sets it.
 */
public final class PlaintextChannelFactory implements ChannelFactory {
  private final Duration keepAliveTime;
  private final Duration keepAliveTimeout;

  public PlaintextChannelFactory(Duration keepAliveTime, Duration keepAliveTimeout) {
    this.keepAliveTime = keepAliveTime;
    this.keepAliveTimeout = keepAliveTimeout;
  }

  @Override
  public ManagedChannel create(String target) {
    return NettyChannelBuilder.forTarget(target)
        .usePlaintext()
        .keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .build();
  }
}
