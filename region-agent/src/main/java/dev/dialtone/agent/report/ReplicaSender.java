package dev.dialtone.agent.report;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.dialtone.agent.metrics.AgentMetrics;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import dev.dialtone.config.Backoff;
import dev.dialtone.security.tls.TransportSecurity;
import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams reports to one replica. Its mailbox holds one report: a newer report replaces an unsent
 * older one, so a slow replica gets the newest state when it can take it, never a backlog. It
 * sends only while gRPC flow control says the stream is ready, so it never buffers without bound,
 * and reopens a failed stream after a backoff, re-sending the newest report first.
 */
final class ReplicaSender {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSender.class);

  private final String region;
  private final String target;
  private final ManagedChannel channel;
  private final ScheduledExecutorService timer;
  private final Backoff backoff;
  private final RandomGenerator random;
  private final Consumer<Directive> directives;
  private final AtomicReference<HealthReport> latest = new AtomicReference<>();
  final Counter sent;
  final Counter superseded;
  final Counter reconnects;

  // Guarded by this.
  private ClientCallStreamObserver<HealthReport> stream;
  private long sentSequence;
  private boolean closed;
  private boolean connected = true;
  private int failures;

  ReplicaSender(String region, String target, ManagedChannel channel, ScheduledExecutorService timer, Backoff backoff,
      RandomGenerator random,
      Consumer<Directive> directives, MetricRegistry metrics) {
    this.region = region;
    this.target = target;
    this.sent = metrics.counter(AgentMetrics.REPORTS_SENT.name(region, target));
    this.superseded = metrics.counter(AgentMetrics.REPORTS_SUPERSEDED.name(region, target));
    this.reconnects = metrics.counter(AgentMetrics.RECONNECTS.name(region, target));
    this.channel = channel;
    this.timer = timer;
    this.backoff = backoff;
    this.random = random;
    this.directives = directives;
  }

  String target() {
    return target;
  }

  /** Puts {@code report} in the mailbox, replacing any unsent one, and sends it if the stream can take it. */
  void offer(HealthReport report) {
    HealthReport previous = latest.getAndSet(report);
    synchronized (this) {
      if (previous != null && previous.getSequence() > sentSequence && stream != null) {
        superseded.inc();
      }
      drain();
    }
  }

  synchronized void open() {
    if (closed) {
      return;
    }
    sentSequence = 0;
    AgentServiceGrpc.newStub(channel).report(new StreamObserver());
  }

  synchronized void close() {
    closed = true;
    if (stream != null) {
      stream.cancel("agent shutting down", null);
      stream = null;
    }
  }

  private void drain() {
    if (stream == null || !stream.isReady()) {
      return;
    }
    HealthReport report = latest.get();
    if (report == null || report.getSequence() <= sentSequence) {
      return;
    }
    stream.onNext(report);
    sentSequence = report.getSequence();
    sent.inc();
  }

  private synchronized void onReady(ClientCallStreamObserver<HealthReport> s) {
    if (stream == s) {
      if (!connected) {
        log.info("[region={}] replica {}: stream open", region, target);
      }
      connected = true;
      failures = 0;
      drain();
    }
  }

  private synchronized void onEnd(ClientCallStreamObserver<HealthReport> s, Throwable error) {
    if (stream != s || closed) {
      return;
    }
    stream = null;
    Duration delay = backoff.delay(++failures, random);
    reconnects.inc();
    // Warn once per outage; the retries that follow are routine.
    if (connected) {
      log.warn("[region={}] replica {}: stream ended ({}); reconnecting with backoff", region, target,
          describe(error));
    } else {
      log.debug("[region={}] replica {}: still unreachable ({}); next try in {} ms", region, target,
          describe(error), delay.toMillis());
    }
    connected = false;
    timer.schedule(this::reopen, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** The stream's end for the log: gRPC says only "io exception" when TLS refused the replica, so add why. */
  static String describe(Throwable error) {
    if (error == null) {
      return "completed";
    }
    return error.getMessage() + TransportSecurity.handshakeFailure(error).map(why -> ": " + why).orElse("");
  }

  private void reopen() {
    // Our backoff governs retries; skip the channel's own (up to two minutes) reconnect delay.
    channel.resetConnectBackoff();
    open();
  }

  private final class StreamObserver implements ClientResponseObserver<HealthReport, Directive> {
    private ClientCallStreamObserver<HealthReport> call;

    @Override
    public void beforeStart(ClientCallStreamObserver<HealthReport> requestStream) {
      call = requestStream;
      synchronized (ReplicaSender.this) {
        stream = requestStream;
      }
      requestStream.setOnReadyHandler(() -> onReady(requestStream));
    }

    @Override
    public void onNext(Directive directive) {
      directives.accept(directive);
    }

    @Override
    public void onError(Throwable t) {
      onEnd(call, t);
    }

    @Override
    public void onCompleted() {
      onEnd(call, null);
    }
  }
}
