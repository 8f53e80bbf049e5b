package dev.dialtone.controlplane.gameday;

import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.run.DrillWorld;
import dev.dialtone.chaos.run.PreflightFacts;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanListener;
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
  private DrillObserver observer;
  private String drill = "";

  public ControlPlaneDrillWorld(WorldFrames frames, Set<ExtraDrillEvents> extras, Clock clock) {
    this.frames = frames;
    this.extras = Set.copyOf(extras);
    this.clock = clock;
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
    if (observer != null) {
      readBacks.addAll(observer.readBack(plan, actuator, at));
    }
  }
}
