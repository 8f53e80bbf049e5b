package dev.dialtone.controlplane.notify;

import dev.dialtone.notify.Dispatcher;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the receivers that ZooKeeper is gone (static stability engaged: nothing moves) and, later,
 * that it is back. Without ZooKeeper there is no outbox and no leader, so this goes straight to
 * the {@link Dispatcher}, sent by the replica that led (or last led) when the connection went:
 * when the whole ensemble is lost that is one message, not one per replica. The pair shares one
 * dedup key, so a pager folds repeats into one incident and the regain resolves it.
 */
final class QuorumWatch {
  private static final Logger log = LoggerFactory.getLogger(QuorumWatch.class);

  private final String deployment;
  private final String replicaId;
  private final BooleanSupplier connected;
  private final BooleanSupplier leading;
  private final Supplier<String> leaderId;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final Duration after;
  private Instant lastConnected;
  private boolean ledLast;
  private Instant lostSince;

  /**
   * @param after how long the connection must be gone (the session timeout: then the session, and
   *     leadership with it, are certainly lost)
   */
  QuorumWatch(String deployment, String replicaId, BooleanSupplier connected, BooleanSupplier leading,
      Supplier<String> leaderId, Dispatcher dispatcher, Clock clock, Duration after) {
    this.deployment = deployment;
    this.replicaId = replicaId;
    this.connected = connected;
    this.leading = leading;
    this.leaderId = leaderId;
    this.dispatcher = dispatcher;
    this.clock = clock;
    this.after = after;
    this.lastConnected = clock.instant();
  }

  String dedupKey() {
    return deployment + ":zookeeper-quorum-lost";
  }

  /** Looks once; called periodically whether or not this replica leads. */
  synchronized void check() {
    Instant now = clock.instant();
    if (connected.getAsBoolean()) {
      lastConnected = now;
      if (leading.getAsBoolean()) {
        ledLast = true;
      } else if (!leaderId.get().isEmpty() && !leaderId.get().equals(replicaId)) {
        ledLast = false; // another replica leads: it speaks for the deployment
      }
      if (lostSince != null) {
        send(EventKind.ZOOKEEPER_QUORUM_REGAINED, "zk-regained-" + replicaId + "-" + now.toEpochMilli(),
            replicaId + " reaches ZooKeeper again after " + Duration.between(lostSince, now).toSeconds() + " s; routing may move again",
            now);
        lostSince = null;
      }
      return;
    }
    if (ledLast && lostSince == null && Duration.between(lastConnected, now).compareTo(after) >= 0) {
      lostSince = lastConnected;
      send(EventKind.ZOOKEEPER_QUORUM_LOST, "zk-lost-" + replicaId + "-" + lastConnected.toEpochMilli(),
          replicaId + " has not reached ZooKeeper for " + Duration.between(lastConnected, now).toSeconds()
              + " s: static stability engaged, the last routing stays as it is and nothing moves", now);
    }
  }

  private void send(EventKind kind, String id, String summary, Instant at) {
    Notification n = new Notification(id, kind, null, deployment, "", "", summary,
        Map.of("replica", replicaId, "disconnectedSince", lastConnected.toString()), dedupKey(), at);
    log.warn("[replica={}] ALERT {}", replicaId, summary);
    dispatcher.offer(n, () -> true, Dispatcher.Listener.NONE);
  }
}
