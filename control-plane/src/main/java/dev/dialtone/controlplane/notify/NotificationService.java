package dev.dialtone.controlplane.notify;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.actuation.Sleeper;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.leadership.LeaderGuard;
import dev.dialtone.controlplane.leadership.LeadershipListener;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.model.RegionSpec;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanState;
import dev.dialtone.controlplane.server.Replica;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.Versioned;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import dev.dialtone.notify.Dispatcher;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import dev.dialtone.controlplane.notify.PlacementEvents.Cause;
import dev.dialtone.notify.config.NotifySection;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's notifications. Every {@code sweepInterval} of a term it (1) raises the events that
 * ZooKeeper shows happened since they were last raised (each routing the history records as
 * committed, each drill's start and end, a failed plan, this term and the end of the last one) into the outbox, deterministic ids making a repeat a no-op, and (2) hands every outbox event
 * not yet marked for a receiver to the {@link Dispatcher}. A receiver's outcome is marked in the
 * outbox and recorded in the history ({@link HistoryKind#NOTIFICATION}); an event every receiver
 * is done with leaves the outbox. A new leader does the same from where the last one stopped, so
 * each event reaches each receiver once; the one gap is a receiver that took an event just as its
 * leader died, before the mark was written: it gets it again, with the same id and dedup key.
 * ZooKeeper itself lost and regained is told without the outbox ({@link QuorumWatch}).
 */
public final class NotificationService implements LeadershipListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationService.class);
  private static final String PRINCIPAL = "notify";
  /** How the control loop's history entry for a committed routing begins (then the target, described). */
  private static final String COMMITTED = "placement committed: ";

  /** What the service needs. */
  public record Parts(ControlPlaneConfig config, ZooKeeperStateStore store, LeaderGuard guard, Dispatcher dispatcher,
      Clock clock, Duration sweepInterval, MetricRegistry metrics) {}

  private final ControlPlaneConfig config;
  private final String deployment;
  private final ZooKeeperStateStore store;
  private final LeaderGuard guard;
  private final Dispatcher dispatcher;
  private final Clock clock;
  private final Duration sweepInterval;
  private final MetricRegistry metrics;
  private final String outbox;
  private final String raisedPath;
  private final ScheduledExecutorService thread;
  /** {@code event/receiver} handed to the dispatcher this term and not yet marked. */
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  /** Marks whose write failed, written again at the next sweep instead of sending again. */
  private final Map<String, DeliveryMark> unwrittenMarks = new ConcurrentHashMap<>();
  private volatile ScheduledFuture<?> sweeping;

  public NotificationService(Parts parts) {
    this.config = parts.config();
    this.deployment = config.deployment();
    this.store = parts.store();
    this.guard = parts.guard();
    this.dispatcher = parts.dispatcher();
    this.clock = parts.clock();
    this.sweepInterval = parts.sweepInterval();
    this.metrics = parts.metrics();
    this.outbox = store.paths().notifications() + "/outbox";
    this.raisedPath = store.paths().notifications() + "/raised";
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "notify-sweep-" + config.replicaId());
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * The service for {@code replica}'s {@code notifications:} section, told of its leadership; register
   * before the replica starts.
   */
  public static NotificationService attach(Replica replica, NotifySection section, Clock clock, MetricRegistry metrics) {
    ControlPlaneConfig config = replica.config();
    Dispatcher dispatcher = new Dispatcher(section.receivers(config.replicaId()), section.settings(), clock,
        Sleeper.system(), new SecureRandom());
    NotificationService service = new NotificationService(new Parts(config, replica.store(), replica.leadership(),
        dispatcher, clock, section.sweepInterval(), metrics));
    replica.addLeadershipListener(service);
    QuorumWatch quorum = new QuorumWatch(config.deployment(), config.replicaId(), replica.leadership()::connected,
        () -> replica.leadership().term().isPresent(), replica.leadership()::leaderId, dispatcher, clock,
        config.zookeeper().sessionTimeout());
    service.thread.scheduleWithFixedDelay(quorum::check, 0, section.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
    // Told by this replica straight to the receivers, as the quorum loss is: a fenced leader cannot
    // write the outbox, and only this replica reads its own certificate. At least once, not exactly.
    replica.addPlanListener(new FencedWriteNotice(config.deployment(), config.replicaId(), dispatcher));
    if (config.security().tls() != null) {
      CertificateNotice certificate = new CertificateNotice(config.deployment(), config.replicaId(),
          java.nio.file.Path.of(config.security().tls().certificate()), CertificateNotice.WARN_BEFORE, dispatcher, clock);
      service.thread.scheduleWithFixedDelay(certificate::check, 0, 1, TimeUnit.HOURS);
    }
    return service;
  }

  @Override
  public void onGained(long epoch) {
    inFlight.clear();
    unwrittenMarks.clear();
    sweeping = thread.scheduleWithFixedDelay(() -> sweepSafely(epoch), 0, sweepInterval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void onLost() {
    ScheduledFuture<?> s = sweeping;
    if (s != null) {
      s.cancel(false);
    }
  }

  private void sweepSafely(long epoch) {
    try {
      sweep(epoch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StateException e) {
      log.warn("[epoch={}] notification sweep skipped: {}", epoch, e.getMessage());
    } catch (RuntimeException e) {
      log.error("[epoch={}] notification sweep failed", epoch, e);
    }
  }

  /** One pass: raise what happened, then deliver what waits. */
  void sweep(long epoch) throws StateException, InterruptedException {
    if (!guard.isLeaderAt(epoch)) {
      return;
    }
    for (Map.Entry<String, DeliveryMark> m : List.copyOf(unwrittenMarks.entrySet())) {
      writeMark(epoch, m.getKey(), m.getValue());
    }
    raise(epoch);
    deliver(epoch);
  }

  private void raise(long epoch) throws StateException, InterruptedException {
    List<String> entries = new ArrayList<>(store.children(store.paths().history()));
    entries.sort(Comparator.naturalOrder());
    Optional<Raised> stored = store.read(raisedPath, Raised.class).map(Versioned::value);
    // Before anything was raised in this deployment, the committed routing and the history so far
    // are the starting point, not news.
    Raised raised = stored.isPresent() ? stored.get() : initial(entries);
    Raised next = raised;
    List<Notification> events = new ArrayList<>();
    if (raised.leaderEpoch() > 0 && raised.leaderEpoch() < epoch) {
      // The leader that lost its term cannot tell anyone (its writes are fenced): its successor does.
      events.add(new Notification("epoch-" + raised.leaderEpoch() + "-leader-lost", EventKind.LEADER_LOST, null, deployment,
          "", "", "the leader of epoch " + raised.leaderEpoch() + " lost its term; " + config.replicaId() + " took over at epoch "
              + epoch, Map.of("lostEpoch", Long.toString(raised.leaderEpoch()), "epoch", Long.toString(epoch),
              "replica", config.replicaId()), null, clock.instant()));
    }
    if (raised.leaderEpoch() < epoch) {
      events.add(new Notification("epoch-" + epoch + "-leader-gained", EventKind.LEADER_GAINED, null, deployment, "", "",
          config.replicaId() + " leads " + deployment + " at epoch " + epoch,
          Map.of("replica", config.replicaId(), "epoch", Long.toString(epoch)), null, clock.instant()));
      next = next.withLeaderEpoch(epoch);
    }
    // The history is the ordered, durable record of every committed routing: each one is told once,
    // however close together they came, and whoever leads reads on from the same cursor.
    for (String name : entries) {
      if (name.compareTo(raised.historyCursor()) <= 0) {
        continue;
      }
      Optional<HistoryEntry> read = store.read(store.paths().history() + "/" + name, HistoryEntry.class).map(Versioned::value);
      if (read.isPresent() && read.get().kind() == HistoryKind.DECISION && read.get().summary().startsWith(COMMITTED)) {
        HistoryEntry e = read.get();
        String target = e.summary().substring(COMMITTED.length()).strip();
        boolean outage = target.equals(new TrafficTarget.Outage().describe());
        List<String> routed = outage ? List.of() : List.of(target.split(" > "));
        Raised after = next.withRouting(outage ? null : routed.getFirst(), outage);
        Collection<RegionSpec> regions = store.regions().values(); // one read for both rankings
        events.addAll(PlacementEvents.between(deployment, next, after, routed, preferred(regions), byPreference(regions),
            fallbackChain(),
            new Cause(e.planId(), e.reason(), e.principal(), e.evidence()), e.planId().isEmpty() ? name : e.planId(), e.at()));
        next = after;
      } else {
        read.flatMap(e -> DrillEvents.of(deployment, e).or(() -> HealthEvents.of(deployment, e))).ifPresent(events::add);
      }
      next = next.withCursor(name);
    }
    Optional<Plan> plan = store.plan();
    if (plan.isPresent() && plan.get().state() == PlanState.FAILED && !plan.get().id().equals(raised.failedPlan())) {
      Plan f = plan.get();
      String failedStep = f.steps().stream().filter(s -> s.state() == PlanState.FAILED)
          .map(s -> s.actuator() + ": " + s.error()).collect(Collectors.joining("; "));
      events.add(new Notification(f.id() + "-plan-failed", EventKind.PLAN_FAILED, null, deployment, "", f.id(),
          "plan " + f.id() + " to " + f.target().describe() + " FAILED; automatic retries are held until an operator acts",
          Map.of("reason", f.reason(), "principal", f.principal(), "failed", failedStep), null, clock.instant()));
      next = next.withFailedPlan(f.id());
    }
    // Outbox first, cursor after: a leader that dies in between leaves a repeat, and a repeat finds its event there.
    for (Notification n : events) {
      enqueue(epoch, n);
    }
    if (!next.equals(raised) || stored.isEmpty()) {
      store.write(epoch, raisedPath, next, -1);
    }
  }

  private Raised initial(List<String> entries) throws StateException {
    Optional<Placement> committed = store.placement().map(Versioned::value).filter(Placement::placed);
    return new Raised(committed.map(Placement::activeRegion).orElse(null), committed.map(Placement::outageMode).orElse(false),
        "", 0, entries.isEmpty() ? "" : entries.getLast());
  }

  /** Writes {@code n} to the outbox unless it is there already or no receiver wants it. */
  private void enqueue(long epoch, Notification n) throws StateException, InterruptedException {
    List<String> receivers = dispatcher.receiversFor(n);
    String path = outbox + "/" + n.id();
    if (receivers.isEmpty() || store.read(path, OutboxEntry.class).isPresent()) {
      return;
    }
    store.write(epoch, path, new OutboxEntry(n, receivers, epoch), -1);
    log.info("[epoch={} plan={}] raised {} ({}) for {}", epoch, n.planId(), n.kind().wireName(), n.id(), receivers);
  }

  private void deliver(long epoch) throws StateException, InterruptedException {
    // Oldest first, so a receiver that was down gets its backlog in the order things happened.
    List<OutboxEntry> waiting = new ArrayList<>();
    for (String id : store.children(outbox)) {
      store.read(outbox + "/" + id, OutboxEntry.class).map(Versioned::value).ifPresent(waiting::add);
    }
    waiting.sort(Comparator.comparing((OutboxEntry e) -> e.notification().occurredAt()).thenComparing(e -> e.notification().id()));
    for (OutboxEntry entry : waiting) {
      String id = entry.notification().id();
      Set<String> marked = new HashSet<>(store.children(outbox + "/" + id));
      if (marked.containsAll(entry.receivers())) {
        for (String r : marked) {
          store.delete(epoch, outbox + "/" + id + "/" + r);
        }
        store.delete(epoch, outbox + "/" + id);
        continue;
      }
      for (String r : entry.receivers()) {
        String key = id + "/" + r;
        if (marked.contains(r) || !inFlight.add(key)) {
          continue;
        }
        if (!dispatcher.receivers().contains(r)) {
          outcome(epoch, entry.notification(), new DeliveryMark(r, false, 0, "receiver " + r + " is no longer configured",
              epoch, clock.instant()));
          continue;
        }
        dispatcher.offer(r, entry.notification(), () -> guard.isLeaderAt(epoch), new Dispatcher.Listener() {
          @Override
          public void delivered(String receiver, Notification n, int attempts) {
            outcome(epoch, n, new DeliveryMark(receiver, true, attempts, "", epoch, clock.instant()));
          }

          @Override
          public void undeliverable(String receiver, Notification n, String why) {
            outcome(epoch, n, new DeliveryMark(receiver, false, 0, why, epoch, clock.instant()));
          }
        });
      }
    }
  }

  /** Marks {@code mark} in the outbox and records it in the history. */
  private void outcome(long epoch, Notification n, DeliveryMark mark) {
    metrics.counter((mark.delivered() ? dev.dialtone.controlplane.metrics.ReplicaMetrics.NOTIFICATIONS_DELIVERED
        : dev.dialtone.controlplane.metrics.ReplicaMetrics.NOTIFICATIONS_UNDELIVERABLE).name()).inc();
    if (!mark.delivered()) {
      log.error("[epoch={} plan={}] ALERT {} never reached {}: {}", epoch, n.planId(), n.kind().wireName(), mark.receiver(),
          mark.why());
    }
    String key = n.id() + "/" + mark.receiver();
    try {
      writeMark(epoch, key, mark);
      store.record(epoch, HistoryEntry.of(clock.instant(), HistoryKind.NOTIFICATION, epoch, n.planId(), PRINCIPAL,
          (mark.delivered() ? "notified " : "could not notify ") + mark.receiver() + " of " + n.kind().wireName() + ": "
              + n.summary(),
          mark.delivered() ? "event " + n.id() + " delivered at attempt " + mark.attempts() : mark.why(),
          Map.of("receiver", mark.receiver(), "event", n.id(), "dedupKey", n.dedupKey())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StateException e) {
      log.warn("[epoch={}] could not record the notification of {} to {}: {}", epoch, n.id(), mark.receiver(), e.getMessage());
    }
  }

  private void writeMark(long epoch, String key, DeliveryMark mark) throws InterruptedException {
    try {
      store.write(epoch, outbox + "/" + key, mark, -1);
      unwrittenMarks.remove(key);
      inFlight.remove(key);
    } catch (StateException e) {
      if (guard.isLeaderAt(epoch)) {
        unwrittenMarks.put(key, mark); // never send again what was sent: write the mark later
      }
      log.warn("[epoch={}] could not mark {}: {}", epoch, key, e.getMessage());
    }
  }

  private static String preferred(Collection<RegionSpec> regions) {
    return regions.stream().filter(r -> r.lifecycle().routable()).min(RegionSpec.BY_PREFERENCE).map(RegionSpec::id).orElse("");
  }

  private static List<String> byPreference(Collection<RegionSpec> regions) {
    return regions.stream().sorted(RegionSpec.BY_PREFERENCE).map(RegionSpec::id).toList();
  }

  /** The outage-mode destinations in force: the carrier's fallback chain and DNS's fallback targets. */
  private String fallbackChain() {
    List<String> parts = new ArrayList<>();
    if (config.fallback() != null) {
      parts.add("carrier " + config.fallback().ring().name().toLowerCase() + ": " + config.fallback().destinations().stream()
          .map(d -> d.queue() != null ? "queue " + d.queue() : d.pstn() != null ? "pstn " + d.pstn()
              : d.answeringService() != null ? "answering service " + d.answeringService() : "voicemail " + d.voicemail())
          .collect(Collectors.joining(" > ")));
    }
    if (config.dns() != null && !config.dns().fallback().isEmpty()) {
      parts.add("dns: " + config.dns().fallback().stream()
          .map(f -> f.id() == null ? String.join(",", f.a()) : f.id()).collect(Collectors.joining(" > ")));
    }
    return parts.isEmpty() ? "no fallback destinations configured" : String.join("; ", parts);
  }

  /** The dispatcher, for its counts. */
  public Dispatcher dispatcher() {
    return dispatcher;
  }

  @Override
  public void close() {
    onLost();
    thread.shutdownNow();
    dispatcher.close();
  }
}
