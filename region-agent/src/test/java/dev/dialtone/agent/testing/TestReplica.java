package dev.dialtone.agent.testing;

import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.LeaderView;
import dev.dialtone.peers.process.FreePorts;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in control-plane replica for agent tests: a real gRPC server on a fixed loopback port
 * that records every report with its arrival time, can be killed and restarted on the same port,
 * and can stop reading (manual flow control) to play a slow replica.
 */
public final class TestReplica implements AutoCloseable {
  /** One received report and when it arrived (System.nanoTime). */
  public record Received(HealthReport report, long atNanos) {}

  private final int port = FreePorts.tcpAndUdp();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final List<ServerCallStreamObserver<Directive>> streams = new CopyOnWriteArrayList<>();
  private volatile boolean reading = true;
  private Server server;

  public String target() {
    return "127.0.0.1:" + port;
  }

  public synchronized TestReplica start() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .permitKeepAliveTime(1, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .addService(new AgentServiceGrpc.AgentServiceImplBase() {
          @Override
          public StreamObserver<HealthReport> report(StreamObserver<Directive> responses) {
            ServerCallStreamObserver<Directive> call = (ServerCallStreamObserver<Directive>) responses;
            if (!reading) {
              call.disableAutoRequest();
            }
            streams.add(call);
            responses.onNext(Directive.newBuilder().setLeader(LeaderView.newBuilder().setReplicaId(target())).build());
            return new StreamObserver<>() {
              @Override
              public void onNext(HealthReport report) {
                received.add(new Received(report, System.nanoTime()));
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {
                responses.onCompleted();
              }
            };
          }
        })
        .build()
        .start();
    return this;
  }

  /** Streams opened after this call read nothing until {@link #resumeReading()}. */
  public void pauseReading() {
    reading = false;
  }

  /** Lets every paused stream read again. */
  public void resumeReading() {
    reading = true;
    streams.forEach(s -> s.request(Integer.MAX_VALUE));
  }

  /** Sends a ProbeNow directive on every open stream, as a leader confirming a suspected failure. */
  public void probeNow(String reason) {
    Directive d = Directive.newBuilder().setProbeNow(dev.dialtone.proto.v1.ProbeNow.newBuilder().setReason(reason)).build();
    for (ServerCallStreamObserver<Directive> s : streams) {
      synchronized (s) {
        s.onNext(d);
      }
    }
  }

  /** Kills the server and its connections at once, like a crashed replica. */
  public synchronized void kill() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    streams.clear();
  }

  public List<Received> received() {
    return received;
  }

  /** The highest sequence received so far, 0 if none. */
  public long lastSequence() {
    return received.stream().mapToLong(r -> r.report().getSequence()).max().orElse(0);
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      kill();
    }
  }
}
