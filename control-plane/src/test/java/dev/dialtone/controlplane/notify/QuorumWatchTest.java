package dev.dialtone.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.config.Backoff;
import dev.dialtone.notify.Dispatcher;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import dev.dialtone.notify.NotificationProvider;
import dev.dialtone.notify.Receiver;
import dev.dialtone.notify.Route;
import dev.dialtone.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who tells of ZooKeeper lost and regained, and when. */
class QuorumWatchTest {
  final FakeClock clock = new FakeClock(Instant.parse("2026-12-03T07:00:00Z"));
  final List<Notification> sent = new CopyOnWriteArrayList<>();
  final NotificationProvider memory = new NotificationProvider() {
    @Override
    public String type() {
      return "memory";
    }

    @Override
    public void send(Notification n) {
      sent.add(n);
    }
  };
  final Dispatcher dispatcher = new Dispatcher(List.of(new Receiver("r", memory, Route.all())),
      new Dispatcher.Settings(10, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)), Duration.ofMinutes(1), 0),
      clock, clock::advance, new Random(1));
  final AtomicBoolean connected = new AtomicBoolean(true);
  final AtomicBoolean leading = new AtomicBoolean(true);
  final AtomicReference<String> leader = new AtomicReference<>("cp-1");
  final QuorumWatch watch = new QuorumWatch("acme-voice", "cp-1", connected::get, leading::get, leader::get, dispatcher, clock,
      Duration.ofSeconds(5));

  @AfterEach
  void close() {
    dispatcher.close();
  }

  void lose() {
    connected.set(false);
    leading.set(false); // the term ends with the connection
    leader.set("");
  }

  @Test
  void theReplicaThatLedTellsOnceTheSessionTimeoutHasPassedThenTellsTheRegainUnderTheSameKey() {
    watch.check();
    lose();
    clock.advance(Duration.ofSeconds(4));
    watch.check();
    assertThat(sent).as("a blip shorter than the session is no quorum loss").isEmpty();
    clock.advance(Duration.ofSeconds(1));
    watch.check();
    clock.advance(Duration.ofSeconds(10));
    watch.check();
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
    assertThat(sent.getFirst().kind()).isEqualTo(EventKind.ZOOKEEPER_QUORUM_LOST);
    assertThat(sent.getFirst().summary()).contains("static stability engaged");
    connected.set(true);
    watch.check();
    await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 2);
    assertThat(sent.get(1).kind()).isEqualTo(EventKind.ZOOKEEPER_QUORUM_REGAINED);
    assertThat(sent).extracting(Notification::dedupKey).containsOnly("acme-voice:zookeeper-quorum-lost");
  }

  @Test
  void aFollowerStaysQuietWhileAnotherReplicaLeads() {
    leading.set(false);
    leader.set("cp-2");
    watch.check();
    lose();
    clock.advance(Duration.ofMinutes(1));
    watch.check();
    connected.set(true);
    watch.check();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(sent::isEmpty);
  }
}
