package dev.dialtone.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.config.Backoff;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;

/**
 * What every {@link NotificationProvider} must do, run against a local stand-in of its service:
 * deliver an event once in the service's documented shape, call a receiver that is down a
 * retryable failure and a refused credential a permanent one, never name its secret, and, behind
 * a {@link Dispatcher}, hand a receiver that was down for 30 s its whole backlog in order.
 */
public abstract class NotificationProviderContract {
  protected static final Instant T0 = Instant.parse("2026-12-03T07:00:00Z");
  protected static final String SECRET = "s3cr3t-token-0123456789abcdef";

  /** The provider under test, pointed at the stand-in with good credentials. */
  protected abstract NotificationProvider provider();

  /** The same provider with credentials the receiver refuses. */
  protected abstract NotificationProvider refused();

  /** Takes the stand-in down (it fails every attempt) or brings it back. */
  protected abstract void down(boolean down) throws Exception;

  /** What the stand-in took, in order, each as its own representation. */
  protected abstract List<?> taken() throws Exception;

  /** Checks that {@code taken} is {@code n} in the service's documented shape (the stand-in checked the schema). */
  protected abstract void assertCarries(Object taken, Notification n) throws Exception;

  protected static Notification event(EventKind kind, String id) {
    return new Notification(id, kind, null, "acme-voice", "us-east", "e3-7", "us-east failed over to us-west",
        Map.of("reason", "db DOWN for 2 reports", "evidence.us-east.db", "DOWN"), "acme-voice:active-region-down:us-east", T0);
  }

  @Test
  void aReceiverTakesAnEventOnceInItsServicesShape() throws Exception {
    Notification n = event(EventKind.FAILOVER, "e3-7-failover");
    provider().send(n);
    await().atMost(Duration.ofSeconds(5)).until(() -> taken().size() == 1);
    assertCarries(taken().getFirst(), n);
  }

  @Test
  void anEventThatResolvesIsDeliveredInItsServicesShapeToo() throws Exception {
    Notification n = event(EventKind.FAILBACK, "e3-9-failback");
    provider().send(n);
    await().atMost(Duration.ofSeconds(5)).until(() -> taken().size() == 1);
    assertCarries(taken().getFirst(), n);
  }

  @Test
  void aReceiverThatIsDownIsARetryableFailure() throws Exception {
    down(true);
    assertThatThrownBy(() -> provider().send(event(EventKind.OUTAGE_ENTERED, "e1-1-outage")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.transientFailure()).isTrue());
  }

  @Test
  void aRefusedCredentialIsPermanentAndTheErrorNamesNoSecret() throws Exception {
    assertThatThrownBy(() -> refused().send(event(EventKind.OUTAGE_ENTERED, "e1-2-outage")))
        .isInstanceOfSatisfying(DeliveryException.class, e -> {
          assertThat(e.transientFailure()).isFalse();
          assertThat(e.getMessage()).doesNotContain(SECRET);
        });
  }

  @Test
  void aReceiverDownFor30SecondsThenUpGetsItsBacklogInOrderOnce() throws Exception {
    FakeClock clock = new FakeClock(T0);
    List<String> delivered = new CopyOnWriteArrayList<>();
    down(true);
    Instant upAt = T0.plusSeconds(30);
    // The worker's waits move fake time; the receiver comes back once 30 s have passed.
    dev.dialtone.actuation.Sleeper sleeper = d -> {
      clock.advance(d);
      if (!clock.instant().isBefore(upAt)) {
        try {
          down(false);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    };
    Dispatcher.Settings settings = new Dispatcher.Settings(10, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)),
        Duration.ofMinutes(5), 0);
    try (Dispatcher dispatcher = new Dispatcher(List.of(new Receiver("r", provider(), Route.all())), settings, clock,
        sleeper, new Random(7))) {
      Dispatcher.Listener listener = new Dispatcher.Listener() {
        @Override
        public void delivered(String receiver, Notification n, int attempts) {
          delivered.add(n.id());
        }

        @Override
        public void undeliverable(String receiver, Notification n, String why) {
          delivered.add("LOST " + n.id() + ": " + why);
        }
      };
      List<Notification> backlog = List.of(event(EventKind.FAILOVER, "a"), event(EventKind.OUTAGE_ENTERED, "b"),
          event(EventKind.OUTAGE_LEFT, "c"));
      backlog.forEach(n -> assertThat(dispatcher.offer(n, () -> true, listener)).containsExactly("r"));
      await().atMost(Duration.ofSeconds(10)).until(() -> delivered.size() == 3);
      assertThat(delivered).containsExactly("a", "b", "c");
      assertThat(clock.instant()).isAfterOrEqualTo(upAt);
      assertThat(taken()).hasSize(3);
      for (int i = 0; i < 3; i++) {
        assertCarries(taken().get(i), backlog.get(i));
      }
      assertThat(dispatcher.counts("r").retries()).isPositive();
    }
  }
}
