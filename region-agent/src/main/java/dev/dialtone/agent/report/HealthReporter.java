package dev.dialtone.agent.report;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.config.Backoff;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Streams every report to every control-plane replica, each through its own {@link
 * ReplicaSender}, so a dead or slow replica never delays the others.
 */
public final class HealthReporter implements AutoCloseable {
  private final List<ReplicaSender> senders = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private volatile Consumer<Directive> directives = d -> {};

  /** {@code region} only labels log lines. */
  public HealthReporter(
      String region,
      List<String> replicas,
      ChannelFactory channels,
      ScheduledExecutorService timer,
      Backoff backoff,
      RandomGenerator random,
      MetricRegistry metrics) {
    for (String replica : replicas) {
      ManagedChannel channel = channels.create(replica);
      this.channels.add(channel);
      ReplicaSender sender =
          new ReplicaSender(region, replica, channel, timer,
              backoff, random, d -> directives.accept(d), metrics);
      senders.add(sender);
    }
  }

  /** Opens every replica's stream; {@code onDirective} receives what replicas send back. */
  public void start(Consumer<Directive> onDirective) {
    this.directives = onDirective;
    senders.forEach(ReplicaSender::open);
  }

  /** Hands {@code report} to every replica's mailbox; never blocks on the network. */
  public void publish(HealthReport report) {
    for (ReplicaSender sender : senders) {
      sender.offer(report);
    }
  }

  /** Reports sent to {@code replica} so far (for tests and benchmarks). */
  public long sentTo(String replica) {
    return senders.stream().filter(s -> s.target().equals(replica)).mapToLong(s -> s.sent.getCount()).sum();
  }

  @Override
  public void close() {
    senders.forEach(ReplicaSender::close);
    for (ManagedChannel channel : channels) {
      channel.shutdown();
    }
    for (ManagedChannel channel : channels) {
      try {
        if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.shutdownNow();
      }
    }
  }
}
