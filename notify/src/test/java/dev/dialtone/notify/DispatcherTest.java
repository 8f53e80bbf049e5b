package dev.dialtone.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.config.Backoff;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Routing, the bounded queue, retries within their budget, and what is reported when a receiver never takes an event. */
class DispatcherTest {
  final FakeClock clock = new FakeClock(Instant.parse("2026-12-03T07:00:00Z"));
  final List<String> outcomes = new CopyOnWriteArrayList<>();
  final Dispatcher.Listener listener = new Dispatcher.Listener() {
    @Override
    public void delivered(String receiver, Notification n, int attempts) {
      outcomes.add(receiver + " took " + n.id() + " at " + attempts);
    }

    @Override
    public void undeliverable(String receiver, Notification n, String why) {
      outcomes.add(receiver + " lost " + n.id() + ": " + why);
    }
  };
  Dispatcher dispatcher;

  @AfterEach
  void close() {
    if (dispatcher != null) {
      dispatcher.close();
    }
  }

  static Notification event(EventKind kind, String id) {
    return new Notification(id, kind, null, "acme-voice", "us-east", "", "s", Map.of(), null, Instant.EPOCH);
  }

  Dispatcher dispatcher(int capacity, Duration giveUpAfter, int maxAttempts, Receiver... receivers) {
    dispatcher = new Dispatcher(List.of(receivers), new Dispatcher.Settings(capacity,
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10)), giveUpAfter, maxAttempts), clock, clock::advance,
        new Random(1));
    return dispatcher;
  }

  /** A provider that fails every attempt, transiently or not. */
  static NotificationProvider failing(boolean transientFailure) {
    return new NotificationProvider() {
      @Override
      public String type() {
        return "failing";
      }

      @Override
      public void send(Notification n) throws DeliveryException {
        throw transientFailure ? DeliveryException.retryable("HTTP 503", null) : DeliveryException.permanent("HTTP 403", null);
      }
    };
  }

  static NotificationProvider taking(List<String> into) {
    return new NotificationProvider() {
      @Override
      public String type() {
        return "memory";
      }

      @Override
      public void send(Notification n) {
        into.add(n.id());
      }
    };
  }

  @Test
  void routesByKindAndSeverityAndAResolveFollowsTheIncidentItEnds() {
    List<String> pager = new CopyOnWriteArrayList<>();
    List<String> chat = new CopyOnWriteArrayList<>();
    Dispatcher d = dispatcher(10, Duration.ofMinutes(1), 0,
        new Receiver("pager", taking(pager), new Route(Set.of(), Severity.CRITICAL)),
        new Receiver("chat", taking(chat), new Route(Set.of(EventKind.LEADER_GAINED), Severity.INFO)));
    assertThat(d.offer(event(EventKind.FAILOVER, "f"), () -> true, listener)).containsExactly("pager");
    assertThat(d.offer(event(EventKind.FAILBACK, "b"), () -> true, listener))
        .as("an INFO failback still reaches the pager its CRITICAL failover paged").containsExactly("pager");
    assertThat(d.offer(event(EventKind.LEADER_GAINED, "l"), () -> true, listener)).containsExactly("chat");
    assertThat(d.offer(event(EventKind.DRILL_PASSED, "x"), () -> true, listener)).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> pager.size() == 2 && chat.size() == 1);
    assertThat(pager).containsExactly("f", "b");
  }

  @Test
  void aFullQueueRefusesAtOnceWithoutBlockingAndReportsTheEvent() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    NotificationProvider blocking = new NotificationProvider() {
      @Override
      public String type() {
        return "blocking";
      }

      @Override
      public void send(Notification n) throws InterruptedException {
        stuck.await();
      }
    };
    Dispatcher d = dispatcher(2, Duration.ofMinutes(1), 0, new Receiver("slow", blocking, Route.all()));
    d.offer(event(EventKind.FAILOVER, "1"), () -> true, listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> d.counts("slow").queued() == 0); // the worker holds 1
    assertThat(d.offer("slow", event(EventKind.FAILOVER, "2"), () -> true, listener)).isTrue();
    assertThat(d.offer("slow", event(EventKind.FAILOVER, "3"), () -> true, listener)).isTrue();
    long start = System.nanoTime();
    assertThat(d.offer("slow", event(EventKind.FAILOVER, "4"), () -> true, listener)).isFalse();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
    assertThat(outcomes).containsExactly("slow lost 4: queue full (2 events waiting)");
    assertThat(d.counts("slow").undeliverable()).isEqualTo(1);
    stuck.countDown();
  }

  @Test
  void aPermanentRefusalIsReportedWithoutRetrying() {
    Dispatcher d = dispatcher(10, Duration.ofMinutes(1), 0, new Receiver("r", failing(false), Route.all()));
    d.offer(event(EventKind.OUTAGE_ENTERED, "o"), () -> true, listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 1);
    assertThat(outcomes).containsExactly("r lost o: refused: HTTP 403");
    assertThat(d.counts("r").retries()).isZero();
  }

  @Test
  void aReceiverThatStaysDownIsRetriedForTheBudgetThenReported() {
    Dispatcher d = dispatcher(10, Duration.ofMinutes(2), 0, new Receiver("r", failing(true), Route.all()));
    Instant start = clock.instant();
    d.offer(event(EventKind.OUTAGE_ENTERED, "o"), () -> true, listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 1);
    assertThat(outcomes.getFirst()).startsWith("r lost o: gave up after ").endsWith(": HTTP 503");
    assertThat(Duration.between(start, clock.instant())).isGreaterThanOrEqualTo(Duration.ofMinutes(2))
        .isLessThan(Duration.ofMinutes(2).plusSeconds(11));
    assertThat(d.counts("r").retries()).isPositive();
  }

  @Test
  void attemptsAreBoundedToo() {
    Dispatcher d = dispatcher(10, Duration.ofHours(1), 3, new Receiver("r", failing(true), Route.all()));
    d.offer(event(EventKind.OUTAGE_ENTERED, "o"), () -> true, listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 1);
    assertThat(outcomes.getFirst()).startsWith("r lost o: gave up after 3 attempts");
    assertThat(d.counts("r").retries()).isEqualTo(2);
  }

  @Test
  void anEventNoLongerWantedIsDroppedUnsentAndUnreported() {
    List<String> took = new CopyOnWriteArrayList<>();
    Dispatcher d = dispatcher(10, Duration.ofMinutes(1), 0, new Receiver("r", taking(took), Route.all()));
    d.offer(event(EventKind.FAILOVER, "old-term"), () -> false, listener);
    d.offer(event(EventKind.FAILOVER, "this-term"), () -> true, listener);
    await().atMost(Duration.ofSeconds(5)).until(() -> took.size() == 1);
    assertThat(took).containsExactly("this-term");
    assertThat(outcomes).containsExactly("r took this-term at 1");
    assertThat(d.counts("r").abandoned()).isEqualTo(1);
  }
}
