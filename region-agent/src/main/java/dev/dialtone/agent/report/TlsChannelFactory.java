package dev.dialtone.agent.report;

import dev.dialtone.security.tls.TransportSecurity;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Mutual-TLS channels to the replicas: the agent's certificate names its deployment and region,
 * each replica's must be {@code spiffe://<deployment>/replica/<name>} of the same deployment, and
 * the credentials follow rotated files without a restart. Keepalive as in {@link
 * PlaintextChannelFactory}.
 */
public final class TlsChannelFactory implements ChannelFactory {
  private final TransportSecurity security;
  private final String deployment;
  private final Duration keepAliveTime;
  private final Duration keepAliveTimeout;

  public TlsChannelFactory(TransportSecurity security, String deployment, Duration keepAliveTime, Duration keepAliveTimeout) {
    this.security = security;
    this.deployment = deployment;
    this.keepAliveTime = keepAliveTime;
    this.keepAliveTimeout = keepAliveTimeout;
  }

  @Override
  public ManagedChannel create(String target) {
    return NettyChannelBuilder.forTarget(target, security.channelCredentials(deployment))
        .keepAliveTime(keepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(keepAliveTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .build();
  }
}
