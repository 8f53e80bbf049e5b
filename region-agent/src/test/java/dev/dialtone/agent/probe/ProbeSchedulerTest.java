package dev.dialtone.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProbeSchedulerTest {
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(2);
  private final ExecutorService attempts = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch release = new CountDownLatch(1);
  private final Map<String, List<ProbeState>> seen = new ConcurrentHashMap<>();

  @AfterEach
  void tearDown() {
    release.countDown();
    timer.shutdownNow();
    attempts.shutdownNow();
  }

  private static ProbeSpec spec(String name, Duration interval, Duration timeout) {
    return new ProbeSpec(name, DependencyKind.DEPENDENCY_KIND_CACHE, true, interval, timeout,
        Duration.ofMillis(500), 1, 1, null, "test");
  }

  private ProbeScheduler scheduler(ProbeScheduler.ScheduledProbe... probes) {
    var self = new java.util.concurrent.atomic.AtomicReference<ProbeScheduler>();
    self.set(new ProbeScheduler("test", List.of(probes), timer, attempts, Clock.systemUTC(), Ticker.system(),
        (state, changed) -> {
          // Like the agent's reporter: a listener may snapshot every probe from inside the callback.
          self.get().snapshot();
          seen.computeIfAbsent(state.spec().name(), k -> new CopyOnWriteArrayList<>()).add(state);
        }));
    return self.get();
  }

  @Test
  void aHungProbeIsAbandonedAtItsTimeoutWhileOthersKeepReportingOnTime() {
    AtomicInteger hungAttempts = new AtomicInteger();
    Probe hung = timeout -> {
      hungAttempts.incrementAndGet();
      release.await();
      return ProbeResult.up();
    };
    Probe fast = timeout -> ProbeResult.up();
    try (ProbeScheduler s = scheduler(
        new ProbeScheduler.ScheduledProbe(spec("hung", Duration.ofMillis(200), Duration.ofMillis(100)), hung),
        new ProbeScheduler.ScheduledProbe(spec("hung-too", Duration.ofMillis(200), Duration.ofMillis(100)), hung),
        new ProbeScheduler.ScheduledProbe(spec("fast", Duration.ofMillis(200), Duration.ofMillis(150)), fast))) {
      long start = System.nanoTime();
      s.start();
      await().atMost(Duration.ofMillis(600)).until(() -> seen.containsKey("hung"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(400));
      ProbeState first = seen.get("hung").get(0);
      assertThat(first.verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(first.last().cause()).isEqualTo(FailureCause.FAILURE_CAUSE_TIMEOUT);
      assertThat(first.last().latency()).isEqualTo(Duration.ofMillis(100));

      await().atMost(Duration.ofSeconds(2)).until(() -> seen.get("hung").size() >= 3 && seen.get("hung-too").size() >= 3);
      assertThat(seen.get("hung").get(2).last().errorText()).contains("previous attempt still running");
      // Only one thread per probe is ever stuck on a hung dependency.
      assertThat(hungAttempts).hasValue(2);
      // The fast probe kept its 200 ms rhythm throughout: never stalled behind the hung ones.
      assertThat(seen.get("fast").size()).isGreaterThanOrEqualTo(3);
      assertThat(seen.get("fast")).allMatch(st -> st.verdict() == HealthStatus.HEALTH_STATUS_UP);
    }
  }

  @Test
  void listenersMaySnapshotEveryProbeWhileTwoRoundsReportAtOnce() {
    // Two probes hung on the same schedule report "still running" at the same moment on both timer
    // threads; the barrier makes both listeners snapshot together. If a round held its probe's lock
    // while reporting, the two snapshots would each wait for the other's lock forever.
    var barrier = new java.util.concurrent.CyclicBarrier(2);
    var self = new java.util.concurrent.atomic.AtomicReference<ProbeScheduler>();
    Probe hung = timeout -> {
      release.await();
      return ProbeResult.up();
    };
    self.set(new ProbeScheduler("test",
        List.of(new ProbeScheduler.ScheduledProbe(spec("a", Duration.ofMillis(200), Duration.ofMillis(100)), hung),
            new ProbeScheduler.ScheduledProbe(spec("b", Duration.ofMillis(200), Duration.ofMillis(100)), hung)),
        timer, attempts, Clock.systemUTC(), Ticker.system(),
        (state, changed) -> {
          if (state.last().errorText().startsWith("previous attempt")) {
            try {
              barrier.await(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
              barrier.reset();
            }
          }
          self.get().snapshot();
          seen.computeIfAbsent(state.spec().name(), k -> new CopyOnWriteArrayList<>()).add(state);
        }));
    try (ProbeScheduler s = self.get()) {
      s.start();
      await().atMost(Duration.ofSeconds(5))
          .until(() -> seen.getOrDefault("a", List.of()).size() >= 4 && seen.getOrDefault("b", List.of()).size() >= 4);
    }
  }

  @Test
  void anExceptionBecomesATimestampedDownResult() {
    Probe broken = timeout -> {
      throw new IllegalStateException("driver exploded");
    };
    try (ProbeScheduler s = scheduler(new ProbeScheduler.ScheduledProbe(spec("broken", Duration.ofSeconds(10), Duration.ofMillis(500)), broken))) {
      assertThat(s.snapshot().get(0).verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_UNSPECIFIED);
      s.start();
      await().atMost(Duration.ofSeconds(2)).until(() -> seen.containsKey("broken"));
      ProbeResult r = seen.get("broken").get(0).last();
      assertThat(r.status()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
      assertThat(r.cause()).isEqualTo(FailureCause.FAILURE_CAUSE_OTHER);
      assertThat(r.errorText()).contains("driver exploded");
      assertThat(r.observedAt()).isNotNull();
      assertThat(r.latency()).isNotNull();
    }
  }

  @Test
  void anAnswerSlowerThanTheThresholdIsDegradedSlow() {
    Probe slow = timeout -> ProbeResult.up().withLatency(Duration.ofMillis(600));
    try (ProbeScheduler s = scheduler(new ProbeScheduler.ScheduledProbe(spec("slow", Duration.ofSeconds(10), Duration.ofMillis(900)), slow))) {
      s.start();
      await().atMost(Duration.ofSeconds(2)).until(() -> seen.containsKey("slow"));
      ProbeState st = seen.get("slow").get(0);
      assertThat(st.verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_DEGRADED);
      assertThat(st.last().cause()).isEqualTo(FailureCause.FAILURE_CAUSE_SLOW);
      assertThat(st.lastAvailableAt()).isNotNull();
    }
  }
}
