package dev.dialtone.controlplane.gameday;

import dev.dialtone.actuation.calls.CallCounter;
import dev.dialtone.chaos.drill.DrillCatalog;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillFileReader;
import dev.dialtone.chaos.store.DrillStore;
import dev.dialtone.chaos.store.DrillStoreException;
import dev.dialtone.chaos.store.StoredDrill;
import dev.dialtone.chaos.store.ZooKeeperDrillStore;
import dev.dialtone.chaos.fault.PacketFilterPaths;
import dev.dialtone.chaos.fault.RoutingFaultSwitch;
import dev.dialtone.chaos.fault.OrphanToxicCleaner;
import dev.dialtone.chaos.fault.ToxicLedger;
import dev.dialtone.chaos.fault.ZooKeeperLiveRuns;
import dev.dialtone.chaos.gameday.GameDay;
import dev.dialtone.chaos.gameday.OrphanSweeper;
import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.ReportStore;
import dev.dialtone.chaos.report.ZooKeeperReportStore;
import dev.dialtone.chaos.run.DrillResult;
import dev.dialtone.chaos.run.DrillRun;
import dev.dialtone.chaos.run.DrillRunner;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.RunnerConfig;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.chaos.schedule.DrillCalendar;
import dev.dialtone.chaos.schedule.DrillScheduler;
import dev.dialtone.chaos.schedule.LeadershipGate;
import dev.dialtone.chaos.schedule.SchedulerConfig;
import dev.dialtone.chaos.schedule.ZooKeeperDrillClaims;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.controlplane.leadership.CuratorLeadership;
import dev.dialtone.controlplane.leadership.LeadershipListener;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.StateException;
import dev.dialtone.controlplane.state.ZooKeeperStateStore;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Game days on one replica, acting only while it leads: on leadership gained it sweeps orphaned
 * toxics (and keeps sweeping) and starts the drill scheduler; on leadership lost it stops both and
 * aborts the active run, which heals its faults (a stale leader cannot inject anyway: toxic
 * records are fenced by the epoch). Runs one drill at a time, manual or scheduled; every run's
 * start and end go to the history. The drills are the deployment's set in ZooKeeper (a new leader
 * seeds it from the configured directory), applied and deleted through the admin API.
 */
public final class GameDayService implements LeadershipListener, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GameDayService.class);

  /** The active run with what its report needs while it is still going. */
  public record ActiveRun(DrillDefinition drill, long epoch, Instant startedAt, DrillRun run) {}

  private final String replicaId;
  private final List<DrillCatalog.DrillFile> seeds;
  private final ZooKeeperDrillStore drillStore;
  private final dev.dialtone.chaos.store.ZooKeeperHandovers handovers;
  private final RoutingFaultSwitch injector;
  private final CuratorLeadership leadership;
  private final ZooKeeperStateStore store;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final GameDay gameDay;
  private final ReportStore reports;
  private final OrphanSweeper sweeper;
  private final DrillScheduler scheduler;
  private ActiveRun active;
  private final java.util.List<java.util.function.Consumer<DrillResult>> endListeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * What the service runs on; tests pass their own Toxiproxy client and world. {@code seeds} are the
   * drill files of the configured directory, stored by a new leader unless stored or deleted before.
   * {@code packetFilters}
   * are the UDP paths (e.g. a region's SIP edge in a network namespace) broken by packet filter
   * instead of Toxiproxy; empty in a deployment without them.
   */
  public record Parts(
      ControlPlaneConfig config, List<DrillCatalog.DrillFile> seeds, CuratorFramework client, ToxiproxyClient toxiproxy,
      CuratorLeadership leadership, ZooKeeperStateStore store, ControlPlaneDrillWorld world, Clock clock,
      PacketFilterPaths packetFilters, List<CallCounter> carriers) {}

  public GameDayService(Parts parts) {
    ControlPlaneConfig.Chaos chaos = parts.config().chaos();
    this.replicaId = parts.config().replicaId();
    this.seeds = List.copyOf(parts.seeds());
    this.leadership = parts.leadership();
    this.store = parts.store();
    this.clock = parts.clock();
    this.executor = Executors.newScheduledThreadPool(2, r -> {
      Thread t = new Thread(r, "gameday-" + replicaId);
      t.setDaemon(true);
      return t;
    });
    DrillZnodes znodes = new DrillZnodes(parts.config().deployment());
    ToxicLedger ledger = new ToxicLedger(parts.client(), znodes);
    ZooKeeperLiveRuns liveRuns = new ZooKeeperLiveRuns(parts.client(), znodes);
    this.injector = new RoutingFaultSwitch(parts.toxiproxy(), ledger, liveRuns, clock, parts.packetFilters());
    for (DrillCatalog.DrillFile f : seeds) {
      refusals(f.drill()).forEach(problem -> log.warn("[replica={}] drill {} cannot run here: {}", replicaId, f.drill().name(), problem));
    }
    this.handovers = new dev.dialtone.chaos.store.ZooKeeperHandovers(parts.client(), znodes);
    this.drillStore = new ZooKeeperDrillStore(parts.client(), znodes, new DrillFileReader(parts.config().drillScope()), clock).start();
    try {
      if (!drillStore.awaitLoaded(java.time.Duration.ofSeconds(5))) {
        log.warn("[replica={}] the drill set is not loaded from ZooKeeper yet; drills appear once it answers", replicaId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    DrillRunner runner = new DrillRunner(new RunnerConfig(chaos.pollInterval(), chaos.healAttempts()), injector, clock, executor);
    this.reports = new ZooKeeperReportStore(parts.client(), znodes, chaos.reportsKept());
    this.gameDay = new GameDay(runner, parts.world(), reports, clock, parts.carriers());
    LeadershipGate gate = new LeadershipGate() {
      @Override
      public boolean isLeader() {
        return leadership.term().isPresent();
      }

      @Override
      public long epoch() {
        return leadership.term().map(t -> t.epoch()).orElse(0L);
      }
    };
    this.sweeper = new OrphanSweeper(gate, new OrphanToxicCleaner(ledger, liveRuns, injector)::clean,
        chaos.orphanSweepInterval(), executor);
    this.scheduler = new DrillScheduler(new SchedulerConfig(chaos.schedulerTick(), chaos.onTimeGrace()), drillStore::drills,
        gate, new ZooKeeperDrillClaims(parts.client(), znodes, clock, replicaId, chaos.claimsKept()), this::launchScheduled,
        clock, executor);
  }

  // ---- leadership -------------------------------------------------------------------------------

  @Override
  public void onGained(long epoch) {
    log.info("[replica={} epoch={}] game days on: sweeping orphaned toxics, seeding {} drill file(s), scheduling", replicaId,
        epoch, seeds.size());
    resumeHandedOver(epoch); // before the sweep, which would heal a handed-over run's faults as orphans
    sweeper.start(); // its first sweep runs at once
    seed(epoch); // before scheduling, so a seeded drill that is due runs in this term
    scheduler.start();
  }

  private void seed(long epoch) {
    try {
      for (DrillStore.Seeded s : drillStore.seed(seeds, epoch)) {
        log.info("[replica={} epoch={}] drill {} from {}: {}", replicaId, epoch, s.file().drill().name(), s.file().file(),
            s.outcome());
      }
    } catch (DrillStoreException e) {
      // Not retried: the next leader seeds again, and operators can apply the files.
      log.warn("[replica={} epoch={}] drill files not seeded: {}", replicaId, epoch, e.getMessage());
    }
  }

  // A run whose leader faulted itself (a control-plane step) goes on here: its faults stay in, its
  // steps continue, and its report shows the takeover. One at a time; a handover of a drill no
  // longer stored is dropped, and its faults are healed by the sweep as orphans.
  private void resumeHandedOver(long epoch) {
    Instant electedAt = clock.instant();
    List<dev.dialtone.chaos.run.RunCheckpoint> found;
    try {
      found = handovers.list();
    } catch (IOException e) {
      log.warn("[replica={} epoch={}] handed-over drill runs not read ({}); their faults are healed as orphans", replicaId,
          epoch, e.getMessage());
      return;
    }
    for (dev.dialtone.chaos.run.RunCheckpoint from : found) {
      Optional<DrillDefinition> drill = drills().stream().filter(d -> d.name().equals(from.drill())).findFirst();
      synchronized (this) {
        if (drill.isEmpty() || from.epoch() >= epoch || (active != null && !active.run().state().isFinal())) {
          log.warn("[replica={} epoch={} run={}] handed-over run of drill {} (epoch {}) not resumed: {}", replicaId, epoch,
              from.runId(), from.drill(), from.epoch(), drill.isEmpty() ? "no such drill any more" : from.epoch() >= epoch
                  ? "not from an earlier term" : "another run is going on");
        } else {
          String elected = replicaId + " leads at epoch " + epoch + " and takes the run over from " + from.replicaId()
              + " (epoch " + from.epoch() + ")";
          track(drill.get(), epoch, from.startedAt(), gameDay.resume(drill.get(), from, epoch, electedAt, elected));
          note(epoch, "drill " + from.drill() + " run " + from.runId() + " resumed after its leader was lost",
              elected, from.runId());
        }
      }
      try {
        handovers.remove(from.runId());
      } catch (IOException e) {
        log.warn("[replica={} epoch={} run={}] handover not removed: {}", replicaId, epoch, from.runId(), e.getMessage());
      }
    }
  }

  @Override
  public void onLost() {
    scheduler.close();
    sweeper.close();
    abortActive("leadership lost");
  }

  private void abortActive(String reason) {
    ActiveRun a;
    synchronized (this) {
      a = active;
    }
    if (a != null && !a.run().state().isFinal()) {
      log.warn("[replica={} epoch={} run={}] {}: aborting the drill, which heals its faults", replicaId, a.epoch(),
          a.run().runId(), reason);
      a.run().abort(reason);
    }
  }

  // ---- runs -------------------------------------------------------------------------------------

  /** The deployment's drills valid on this replica, by name. */
  public List<DrillDefinition> drills() {
    return drillStore.drills();
  }

  /** Every stored drill with its text and who applied it, by name. */
  public List<StoredDrill> storedDrills() {
    return drillStore.stored();
  }

  /** An applied drill and why it cannot run on this replica, if it cannot (e.g. no proxy for its target). */
  public record Applied(DrillStore.Applied applied, List<String> refusals) {}

  /**
   * Validates and stores a drill for every replica, at {@code epoch} (the caller leads at it).
   *
   * @throws dev.dialtone.config.ConfigException naming {@code source}, line and field; nothing stored
   */
  public Applied apply(String source, String yaml, String appliedBy, long epoch) throws DrillStoreException {
    DrillStore.Applied applied = drillStore.apply(source, yaml, appliedBy, epoch);
    return new Applied(applied, refusals(applied.drill()));
  }

  /** Deletes a drill for every replica; false if none has that name. A run going on is not stopped. */
  public boolean delete(String name, String deletedBy, long epoch) throws DrillStoreException {
    return drillStore.delete(name, deletedBy, epoch);
  }

  private List<String> refusals(DrillDefinition drill) {
    return injector.refusals(drill);
  }

  /** The drill's next scheduled time after {@code now}, if it has a schedule. */
  public static Optional<Instant> nextRun(DrillDefinition drill, Instant now) {
    return drill.schedule() == null ? Optional.empty() : DrillCalendar.of(drill.schedule()).nextAfter(now);
  }

  /**
   * Starts {@code name} now at {@code epoch} (the caller leads at it).
   *
   * @throws NoSuchElementException if no drill has that name
   * @throws IllegalStateException if another run is still going
   */
  public synchronized ActiveRun run(String name, long epoch) {
    DrillDefinition drill = drills().stream().filter(d -> d.name().equals(name)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no drill named '" + name + "' (configured: "
            + String.join(", ", drills().stream().map(DrillDefinition::name).toList()) + ")"));
    requireIdle();
    Instant startedAt = clock.instant();
    return track(drill, epoch, startedAt, gameDay.runNow(drill, epoch));
  }

  private void requireIdle() {
    if (active != null && !active.run().state().isFinal()) {
      throw new IllegalStateException("drill run " + active.run().runId() + " is still " + active.run().state()
          + "; one drill at a time");
    }
  }

  private synchronized void launchScheduled(DrillDefinition drill, Instant scheduledTime, long epoch) {
    try {
      requireIdle();
    } catch (IllegalStateException e) {
      note(epoch, drill.name() + " scheduled at " + scheduledTime + " not started", e.getMessage(), "");
      return;
    }
    Instant startedAt = clock.instant();
    gameDay.launch(drill, scheduledTime, epoch);
    // GameDay names scheduled runs "<drill>-<scheduled millis>".
    String runId = drill.name() + "-" + scheduledTime.toEpochMilli();
    gameDay.active(runId).ifPresent(run -> {
      track(drill, epoch, startedAt, run);
      note(epoch, "drill " + drill.name() + " started as run " + runId, "scheduled for " + scheduledTime, runId);
    });
  }

  private ActiveRun track(DrillDefinition drill, long epoch, Instant startedAt, DrillRun run) {
    ActiveRun a = new ActiveRun(drill, epoch, startedAt, run);
    active = a;
    run.result().thenAccept(r -> {
      if (r.state() == dev.dialtone.chaos.run.DrillState.HANDED_OVER) {
        return; // not ended: the next leader resumes it, records and reports its end
      }
      note(r.epoch(), "drill " + drill.name() + " run " + r.runId() + " ended " + r.state(), r.reason(), r.runId());
      for (var l : endListeners) {
        try {
          l.accept(r);
        } catch (RuntimeException e) {
          log.warn("[epoch={} run={}] drill end listener failed: {}", r.epoch(), r.runId(), e.toString());
        }
      }
    });
    return a;
  }

  /** Told of every run's end (passed, failed, aborted, skipped), on the run's thread; must be quick. */
  public void onEnded(java.util.function.Consumer<DrillResult> listener) {
    endListeners.add(listener);
  }

  /** The run going on (or just ended) on this replica with that id. */
  public synchronized Optional<ActiveRun> active(String runId) {
    return Optional.ofNullable(active).filter(a -> a.run().runId().equals(runId));
  }

  /** The run going on (or the last one ended) on this replica. */
  public synchronized Optional<ActiveRun> latest() {
    return Optional.ofNullable(active);
  }

  /** Aborts an active run; false if there is none by that id on this replica. */
  public boolean abort(String runId, String reason) {
    return gameDay.abort(runId, reason);
  }

  /**
   * The run's report: the stored one, or for the run going on here, one as of now (state not final,
   * ended at now).
   */
  public Optional<DrillReport> report(String runId) throws IOException {
    Optional<DrillReport> stored = reports.get(runId);
    if (stored.isPresent()) {
      return stored;
    }
    return active(runId).map(this::reportNow);
  }

  private DrillReport reportNow(ActiveRun a) {
    DrillResult done = a.run().result().getNow(null);
    if (done == null && a.run().state().isFinal()) {
      done = settling(a); // the state is final a moment before the result: never report it "in progress"
    }
    if (done != null) {
      // Ended, its report not stored yet: the one being stored (with the carriers' call counts).
      DrillResult ended = done;
      return builtReport(ended).orElseGet(() -> DrillReport.from(ended));
    }
    List<TimelineEvent> timeline = a.run().timeline();
    List<String> breaches = timeline.stream().filter(e -> e.kind() == EventKind.BREACH).map(TimelineEvent::detail).toList();
    return DrillReport.from(new DrillResult(a.drill(), a.run().runId(), a.epoch(), a.run().state(),
        "in progress", a.startedAt(), clock.instant(), timeline, breaches));
  }

  private Optional<DrillReport> builtReport(DrillResult done) {
    // Counting calls asks each carrier once: a moment, bounded.
    return gameDay.report(done.runId()).flatMap(built -> within(built, SETTLE));
  }

  private DrillResult settling(ActiveRun a) {
    return within(a.run().result(), SETTLE).orElse(null);
  }

  /** How long a reader waits for a run that has just ended to settle. */
  private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(2);

  /** The future's value if it comes within {@code wait}; empty if not, if it failed, or if it is null. */
  private static <T> Optional<T> within(java.util.concurrent.CompletableFuture<T> future, java.time.Duration wait) {
    try {
      return Optional.ofNullable(future.get(wait.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException e) {
      return Optional.empty();
    }
  }

  /** Every stored report, newest first. */
  public List<ReportStore.Summary> stored() throws IOException {
    return reports.list();
  }

  private void note(long epoch, String summary, String reason, String runId) {
    try {
      store.record(epoch, HistoryEntry.of(clock.instant(), HistoryKind.DRILL, epoch, "", "gameday", summary, reason,
          runId.isEmpty() ? Map.of() : Map.of("run", runId)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (StateException e) {
      log.warn("[replica={} epoch={}] could not record '{}': {}", replicaId, epoch, summary, e.getMessage());
    }
  }

  /** Stops scheduling and sweeping, aborts the active run and waits briefly for its heal. */
  @Override
  public void close() {
    scheduler.close();
    sweeper.close();
    abortActive("replica closing");
    ActiveRun a = latest().orElse(null);
    if (a != null) {
      try {
        a.run().result().get(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        log.warn("[replica={} run={}] drill not healed on close; the next leader's orphan sweep heals it", replicaId,
            a.run().runId());
      }
    }
    executor.shutdownNow();
    drillStore.close();
  }
}
