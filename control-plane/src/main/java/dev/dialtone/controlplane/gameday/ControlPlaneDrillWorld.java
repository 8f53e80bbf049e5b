package dev.dialtone.controlplane.gameday;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.LeaderFault;
import dev.dialtone.chaos.run.DrillWorld;
import dev.dialtone.chaos.run.Handover;
import dev.dialtone.chaos.run.PreflightFacts;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanListener;
import dev.dialtone.controlplane.plan.PlanStep;
import dev.dialtone.controlplane.state.StateException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane as a drill sees it: preflight facts and observed events from this replica's
 * health view and ZooKeeper state ({@link WorldFrames}), the read-backs of the plans it runs
 * ({@link PlanListener}), and any {@link ExtraDrillEvents} bound. One drill at a time:
 * {@link #preflight} starts observing for the given drill.
 */
public final class ControlPlaneDrillWorld implements DrillWorld, PlanListener {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneDrillWorld.class);

  private final WorldFrames frames;
  private final Set<ExtraDrillEvents> extras;
  private final Clock clock;
  private final Map<ExtraDrillEvents, Instant> seenUpTo = new IdentityHashMap<>();
  private final List<TimelineEvent> readBacks = new ArrayList<>();
  private final LeaderFaults leaderFaults;
  // What the plans did lately, observer or not: a new leader may resume the plan in flight before
  // the handed-over run is resumed here, and those read-backs belong to the run.
  private final java.util.ArrayDeque<Seen> recent = new java.util.ArrayDeque<>();
  private DrillObserver observer;
  private String drill = "";
  // A control-plane step waiting for the next plan step, and the plan it fired on (whose other steps wait too).
  private Armed armed;
  private String firedOn = "";
  private java.util.concurrent.CountDownLatch fired = new java.util.concurrent.CountDownLatch(0);

  private record Seen(Plan plan, String actuator, Instant at) {}

  private record Armed(LeaderFault fault, Handover handover) {}

  /** A world that cannot fault its own control plane (tests of dependency drills). */
  public ControlPlaneDrillWorld(WorldFrames frames, Set<ExtraDrillEvents> extras, Clock clock) {
    this(frames, extras, clock, null);
  }

  /** A world whose control-plane steps fault this replica's process through {@code leaderFaults}. */
  public ControlPlaneDrillWorld(WorldFrames frames, Set<ExtraDrillEvents> extras, Clock clock, LeaderFaults leaderFaults) {
    this.frames = frames;
    this.extras = Set.copyOf(extras);
    this.clock = clock;
    this.leaderFaults = leaderFaults;
  }

  /** Reads the world now and starts observing for {@code drill}; throws if the state is unreadable. */
  @Override
  public synchronized PreflightFacts preflight(DrillDefinition definition) {
    Instant now = clock.instant();
    WorldFrame frame;
    try {
      frame = frames.read(now);
    } catch (StateException e) {
      throw new IllegalStateException("cannot read the control plane's state: " + e.getMessage(), e);
    }
    drill = definition.name();
    observer = DrillObserver.startingAt(definition.region(), definition.target().dependency(), frame);
    readBacks.clear();
    extras.forEach(source -> seenUpTo.put(source, now));
    return DrillPreflight.facts(definition.region(), frame);
  }

  /** Events since the previous call, in time order; a state read failure skips only the state's part. */
  @Override
  public synchronized List<TimelineEvent> poll() {
    if (observer == null) {
      return List.of();
    }
    Instant now = clock.instant();
    List<TimelineEvent> events = new ArrayList<>(readBacks);
    readBacks.clear();
    try {
      events.addAll(observer.observe(frames.read(now)));
    } catch (StateException e) {
      // Static stability: a ZooKeeper blip must not abort the drill; leadership loss does that.
      log.warn("[drill={}] state unreadable, observing health and extras only: {}", drill, e.getMessage());
    }
    for (ExtraDrillEvents source : extras) {
      events.addAll(fromExtra(source));
    }
    events.sort(Comparator.comparing(TimelineEvent::at));
    return events;
  }

  private List<TimelineEvent> fromExtra(ExtraDrillEvents source) {
    Instant after = seenUpTo.get(source);
    List<TimelineEvent> found;
    try {
      found = source.since(after);
    } catch (RuntimeException e) {
      log.warn("[drill={}] extra drill events unavailable: {}", drill, e.toString());
      return List.of();
    }
    // Each source has its own watermark: a slow source's older events are not lost behind a fast one's.
    List<TimelineEvent> fresh = found.stream().filter(e -> e.at().isAfter(after)).toList();
    fresh.stream().map(TimelineEvent::at).max(Comparator.naturalOrder()).ifPresent(max -> seenUpTo.put(source, max));
    return fresh;
  }

  /** The routable regions now (what a drill on every region breaks). */
  @Override
  public synchronized List<String> routing() {
    try {
      return frames.read(clock.instant()).placement().filter(p -> p.placed() && !p.outageMode()).map(p -> p.routed())
          .orElse(List.of());
    } catch (StateException e) {
      throw new IllegalStateException("cannot read the placement: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<String> regions() {
    try {
      return frames.read(clock.instant()).regions().values().stream().filter(r -> r.lifecycle().routable())
          .map(r -> r.id()).sorted().toList();
    } catch (StateException e) {
      throw new IllegalStateException("cannot read the regions: " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void readBack(Plan plan, String actuator, Instant at) {
    remember(new Seen(plan, actuator, at));
    if (observer != null) {
      readBacks.addAll(observer.readBack(plan, actuator, at));
    }
  }

  private void remember(Seen seen) {
    recent.addLast(seen);
    while (recent.size() > 64) {
      recent.removeFirst();
    }
  }

  @Override
  public synchronized void resume(DrillDefinition definition, String planInFlight) {
    Instant now = clock.instant();
    WorldFrame frame;
    try {
      frame = frames.read(now);
    } catch (StateException e) {
      throw new IllegalStateException("cannot read the control plane's state: " + e.getMessage(), e);
    }
    drill = definition.name();
    observer = DrillObserver.resuming(definition.region(), definition.target().dependency(), frame, planInFlight);
    readBacks.clear();
    extras.forEach(source -> seenUpTo.put(source, now));
    // The plan in flight may have been resumed here already: replay what it did.
    for (Seen seen : recent) {
      if (seen.plan().id().equals(planInFlight)) {
        readBacks.addAll(seen.actuator() == null ? observer.aboutToAct(seen.plan(), seen.at())
            : observer.readBack(seen.plan(), seen.actuator(), seen.at()));
      }
    }
  }

  @Override
  public void faultLeader(LeaderFault fault, Handover handover) {
    if (leaderFaults == null) {
      throw new UnsupportedOperationException("this replica cannot fault its own process (no leader faults wired)");
    }
    if (fault.inFlight()) {
      synchronized (this) {
        armed = new Armed(fault, handover);
      }
      return;
    }
    Thread.ofPlatform().daemon().name("leader-fault").start(() -> {
      try {
        leaderFaults.fire(fault, handover, "", "");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }); // off the drill's thread, which holds the run's lock the handover needs
  }

  @Override
  public void aboutToAct(Plan plan, PlanStep step) throws InterruptedException {
    Armed firing = null;
    java.util.concurrent.CountDownLatch wait;
    synchronized (this) {
      remember(new Seen(plan, null, clock.instant()));
      if (observer != null) {
        readBacks.addAll(observer.aboutToAct(plan, clock.instant()));
      }
      if (armed != null) {
        firing = armed;
        armed = null;
        firedOn = plan.id();
        fired = new java.util.concurrent.CountDownLatch(1);
      } else if (!plan.id().equals(firedOn)) {
        return;
      }
      wait = fired;
    }
    if (firing == null) {
      wait.await(); // another step of this plan fired the fault: this one is held with it
      return;
    }
    try {
      // Outside the lock: the handover takes the run's lock, whose thread may be polling here.
      // Returns once a stall is over (a kill never returns), or at once if nothing was done.
      leaderFaults.fire(firing.fault(), firing.handover(), plan.id(), step.name());
    } finally {
      synchronized (this) {
        firedOn = "";
      }
      wait.countDown();
    }
  }
}
