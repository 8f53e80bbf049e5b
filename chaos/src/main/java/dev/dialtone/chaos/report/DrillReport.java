package dev.dialtone.chaos.report;

import dev.dialtone.actuation.calls.CallCounts;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillExpectations;
import dev.dialtone.config.Durations;
import dev.dialtone.chaos.run.DrillResult;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The report of one drill run: the timeline in time order (fault injected → first failed probe →
 * region DOWN → decision → carrier shifted → DNS shifted → healed → failed back), the figures
 * against the drill's expectations, and pass/fail. Plain data, stored as JSON.
 */
public record DrillReport(
    String runId,
    String drill,
    String region,
    String dependencyKind,
    String dependency,
    long epoch,
    DrillState state,
    boolean passed,
    String reason,
    Instant startedAt,
    Instant endedAt,
    List<TimelineEvent> timeline,
    boolean timelineTruncated,
    List<Figure> figures,
    List<String> breaches) {

  /** Longest timeline kept: a report must stay a small znode (a storm of failed calls is summarized). */
  public static final int MAX_EVENTS = 500;

  public DrillReport {
    timeline = List.copyOf(timeline);
    figures = List.copyOf(figures);
    breaches = List.copyOf(breaches);
  }

  /** Name of the figure that says a run's calls were not counted. */
  public static final String CALLS_NOT_COUNTED = "calls by destination";

  /**
   * This report with the calls the carriers counted during its run, one figure per destination
   * ("calls that reached voicemail: 14") and one for calls no destination answered; empty when no
   * carrier could tell.
   */
  public DrillReport withCalls(Optional<CallCounts> calls) {
    List<Figure> more = new ArrayList<>(figures);
    if (calls.isEmpty()) {
      more.add(new Figure(CALLS_NOT_COUNTED, "not counted (carrier cannot tell)", null, null, null, null));
    } else {
      calls.get().destinations().forEach((destination, d) -> more.add(new Figure(
          "calls that reached " + destination, d.answered() + " answered of " + d.routed() + " routed", null, null, null, null)));
      more.add(new Figure("calls no destination answered", Long.toString(calls.get().failed()), null, null, null, null));
    }
    return new DrillReport(runId, drill, region, dependencyKind, dependency, epoch, state, passed, reason, startedAt,
        endedAt, timeline, timelineTruncated, more, breaches);
  }

  /** Builds the report of a finished run. */
  public static DrillReport from(DrillResult result) {
    DrillDefinition drill = result.drill();
    List<TimelineEvent> ordered = new ArrayList<>(result.timeline());
    ordered.sort(Comparator.comparing(TimelineEvent::at)); // stable: ties keep the runner's order
    boolean truncated = ordered.size() > MAX_EVENTS;
    if (truncated) {
      // Keep the start and the end of the story; the middle is the repetitive part.
      List<TimelineEvent> kept = new ArrayList<>(ordered.subList(0, MAX_EVENTS - 50));
      kept.addAll(ordered.subList(ordered.size() - 50, ordered.size()));
      ordered = kept;
    }
    return new DrillReport(
        result.runId(),
        drill.name(),
        drill.region(),
        drill.target().kind().name(),
        drill.target().dependency(),
        result.epoch(),
        result.state(),
        result.state() == DrillState.PASSED,
        result.reason(),
        result.startedAt(),
        result.endedAt(),
        ordered,
        truncated,
        figures(drill.expectations(), result.timeline()),
        result.breaches());
  }

  /**
   * The control plane's own timeline of a run that faulted its leader: leader lost, new leader
   * elected, plan resumed or rolled back, and traffic verified (the first carrier and DNS read-backs
   * after the election); empty for a drill that faulted only dependencies.
   */
  public List<TimelineEvent> takeover() {
    return takeover(timeline);
  }

  /** Every event but the control plane's own: what the dependency fault did. */
  public List<TimelineEvent> dependencyTimeline() {
    return timeline.stream().filter(e -> !e.kind().controlPlane()).toList();
  }

  private static List<TimelineEvent> takeover(List<TimelineEvent> timeline) {
    Optional<Instant> elected = first(timeline, EventKind.LEADER_ELECTED);
    List<TimelineEvent> events = new ArrayList<>();
    boolean carrier = false;
    boolean dns = false;
    for (TimelineEvent e : timeline) {
      if (e.kind().controlPlane()) {
        events.add(e);
      } else if (elected.isPresent() && !e.at().isBefore(elected.get())) {
        if (e.kind() == EventKind.CARRIER_SHIFTED && !carrier) {
          carrier = true;
          events.add(e);
        } else if (e.kind() == EventKind.DNS_SHIFTED && !dns) {
          dns = true;
          events.add(e);
        }
      }
    }
    events.sort(Comparator.comparing(TimelineEvent::at));
    return events;
  }

  /** The figure counting failed calls; a caller that generates calls (the lab) adds what it saw. */
  public static final String FAILED_CALLS = "failed lab calls";

  /**
   * This report with call failures observed outside the control plane (the lab's call generator:
   * the replicas do not see its calls) added to the timeline and to the failed-calls figure; a run
   * that expected none and now has some no longer passes.
   */
  public DrillReport withObservedCallFailures(List<Instant> failures, String source) {
    if (failures.isEmpty()) {
      return this;
    }
    List<TimelineEvent> merged = new ArrayList<>(timeline);
    failures.forEach(at -> merged.add(new TimelineEvent(at, EventKind.LAB_CALL_FAILED, "a call failed (" + source + ")")));
    merged.sort(Comparator.comparing(TimelineEvent::at));
    long count = merged.stream().filter(e -> e.kind() == EventKind.LAB_CALL_FAILED).count();
    List<Figure> updated = new ArrayList<>();
    boolean breached = false;
    for (Figure f : figures) {
      if (f.name().equals(FAILED_CALLS)) {
        Boolean met = f.objective() == null ? null : count == 0;
        breached = Boolean.FALSE.equals(met);
        updated.add(new Figure(f.name(), Long.toString(count), null, f.objective(), null, met));
      } else {
        updated.add(f);
      }
    }
    boolean stillPassed = passed && !breached;
    DrillState newState = state == DrillState.PASSED && !stillPassed ? DrillState.FAILED : state;
    String newReason = stillPassed ? reason : count + " call(s) failed (" + source + ")";
    List<TimelineEvent> kept = merged.size() > MAX_EVENTS ? merged.subList(merged.size() - MAX_EVENTS, merged.size()) : merged;
    return new DrillReport(runId, drill, region, dependencyKind, dependency, epoch, newState, stillPassed, newReason, startedAt,
        endedAt, kept, timelineTruncated || kept.size() < merged.size(), updated, breaches);
  }

  private static List<Figure> figures(DrillExpectations expected, List<TimelineEvent> timeline) {
    Optional<Instant> injected = first(timeline, EventKind.FAULT_INJECTED);
    Optional<Instant> healed = first(timeline, EventKind.HEALED);
    Optional<Instant> carrier = first(timeline, EventKind.CARRIER_SHIFTED);
    Optional<Instant> dns = first(timeline, EventKind.DNS_SHIFTED);
    Optional<Instant> shifted =
        carrier.isPresent() && dns.isPresent() ? Optional.of(carrier.get().isAfter(dns.get()) ? carrier.get() : dns.get()) : Optional.empty();
    List<Figure> figures = new ArrayList<>();
    figures.add(time("fault → first failed probe", injected, first(timeline, EventKind.FIRST_FAILED_PROBE), null));
    figures.add(time("fault → region DOWN", injected, first(timeline, EventKind.REGION_DOWN), null));
    figures.add(time("fault → decision", injected, first(timeline, EventKind.DECISION), null));
    figures.add(time("fault → carrier shifted", injected, carrier, null));
    figures.add(time("fault → DNS shifted", injected, dns, null));
    figures.add(time("fault → traffic shifted (carrier and DNS)", injected, shifted, expected.shiftedWithin()));
    figures.add(time("healed → failed back", healed, first(timeline, EventKind.FAILED_BACK), expected.failedBackWithin()));
    figures.add(count("outage mode entered", timeline, EventKind.OUTAGE_MODE_ENTERED, expected.noOutageMode()));
    Optional<Instant> lost = first(timeline, EventKind.LEADER_LOST);
    if (lost.isPresent()) {
      List<TimelineEvent> takeover = takeover(timeline);
      Optional<Instant> resumed = takeover.stream().filter(e -> e.kind() == EventKind.PLAN_RESUMED
          || e.kind() == EventKind.PLAN_ROLLED_BACK).map(TimelineEvent::at).findFirst();
      Optional<Instant> verified = takeover.stream().filter(e -> e.kind() == EventKind.CARRIER_SHIFTED
          || e.kind() == EventKind.DNS_SHIFTED).map(TimelineEvent::at).max(Instant::compareTo)
          .filter(at -> takeover.stream().filter(e -> e.kind() == EventKind.CARRIER_SHIFTED || e.kind() == EventKind.DNS_SHIFTED)
              .map(TimelineEvent::kind).distinct().count() == 2);
      figures.add(time("leader lost → new leader elected", lost, first(timeline, EventKind.LEADER_ELECTED), null));
      figures.add(time("leader lost → plan resumed or rolled back", lost, resumed, null));
      figures.add(time("leader lost → traffic verified (carrier and DNS)", lost, verified, null));
    }
    figures.add(count(FAILED_CALLS, timeline, EventKind.LAB_CALL_FAILED, expected.noFailedLabCalls()));
    return figures;
  }

  private static Optional<Instant> first(List<TimelineEvent> timeline, EventKind kind) {
    return timeline.stream().filter(e -> e.kind() == kind).map(TimelineEvent::at).min(Comparator.naturalOrder());
  }

  private static Figure time(String name, Optional<Instant> from, Optional<Instant> to, Duration objective) {
    String objectiveText = objective == null ? null : "≤ " + Durations.format(objective);
    Long objectiveMillis = objective == null ? null : objective.toMillis();
    if (from.isEmpty() || to.isEmpty()) {
      return new Figure(name, "not observed", null, objectiveText, objectiveMillis, objective == null ? null : false);
    }
    Duration measured = Duration.between(from.get(), to.get());
    return new Figure(
        name,
        seconds(measured),
        measured.toMillis(),
        objectiveText,
        objectiveMillis,
        objective == null ? null : measured.compareTo(objective) <= 0);
  }

  private static Figure count(String name, List<TimelineEvent> timeline, EventKind kind, boolean mustBeZero) {
    long count = timeline.stream().filter(e -> e.kind() == kind).count();
    return new Figure(name, Long.toString(count), null, mustBeZero ? "0" : null, null, mustBeZero ? count == 0 : null);
  }

  /** {@code +2.700s}: an offset on the timeline, signed. */
  static String offset(Duration duration) {
    return (duration.isNegative() ? "" : "+") + seconds(duration);
  }

  /** {@code 2.700s}-style text with millisecond precision. */
  static String seconds(Duration duration) {
    return String.format(java.util.Locale.ROOT, "%.3fs", duration.toMillis() / 1000.0);
  }
}
