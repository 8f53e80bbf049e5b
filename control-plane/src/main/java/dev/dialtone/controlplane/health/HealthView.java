package dev.dialtone.controlplane.health;

import dev.dialtone.controlplane.health.IngestResult.Reason;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.DependencyResult;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.proto.v1.VantageResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One replica's view of every region's health, built from the agents' reports; thread-safe.
 *
 * <p>Keeps per region and dependency the latest result, drops duplicate and out-of-order reports
 * by (agent, incarnation, sequence), rejects reports for other deployments or unregistered
 * regions, malformed or oversized ones, and judges silence as UNKNOWN (never DOWN). Also keeps,
 * per region, which other regions' agents see its public edge DOWN.
 *
 * <p>Streaks are kept per agent; a region with several agents is judged by a strict majority of
 * its live (non-silent) agents: it is confirmed DOWN only when a majority are each confirmed
 * DOWN, and healthy only when a majority are each healthy (see {@code RegionState.health}).
 */
public final class HealthView {
  /** Default size limit of one report: far above a real one (about 1 KiB for 10 dependencies). */
  public static final int DEFAULT_MAX_REPORT_BYTES = 64 * 1024;
  /** How many previous incarnations of one agent are remembered to drop their late reports. */
  private static final int RETIRED_INCARNATIONS = 8;

  private final String deployment;
  private final Supplier<? extends Set<String>> knownRegions;
  private final Duration staleAfter;
  private final int maxReportBytes;
  private final ConcurrentHashMap<String, RegionState> regions = new ConcurrentHashMap<>();
  /** target region → observer region → latest vantage verdict. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Vantage>> vantage =
      new ConcurrentHashMap<>();

  /**
   * @param deployment reports for any other deployment are rejected
   * @param knownRegions the registered regions, asked at each report (regions register at run time)
   * @param staleAfter silence after which a region is UNKNOWN
   * @param maxReportBytes serialized size above which a report is rejected
   */
  public HealthView(
      String deployment, Supplier<? extends Set<String>> knownRegions, Duration staleAfter, int maxReportBytes) {
    this.deployment = Objects.requireNonNull(deployment, "deployment");
    this.knownRegions = Objects.requireNonNull(knownRegions, "knownRegions");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    if (staleAfter.isNegative() || staleAfter.isZero()) {
      throw new IllegalArgumentException("staleAfter must be positive (was " + staleAfter + ")");
    }
    if (maxReportBytes < 1) {
      throw new IllegalArgumentException("maxReportBytes must be >= 1 (was " + maxReportBytes + ")");
    }
    this.maxReportBytes = maxReportBytes;
  }

  /** The deployment this view accepts reports for. */
  public String deployment() {
    return deployment;
  }

  /** Validates, deduplicates and applies one report received at {@code receivedAt}. */
  public IngestResult ingest(HealthReport report, Instant receivedAt) {
    IngestResult invalid = validate(report);
    if (invalid != null) {
      return invalid;
    }
    Instant observedAt = Instant.ofEpochSecond(report.getObservedAt().getSeconds(), report.getObservedAt().getNanos());
    Duration ahead = Duration.between(receivedAt, observedAt);
    if (ahead.compareTo(staleAfter) > 0) {
      // A report from the future would make every later one look older until then.
      return IngestResult.rejected(Reason.CLOCK_SKEW, "agent '" + report.getAgentId() + "' observed_at "
          + observedAt + " is " + ahead + " ahead of this replica's clock; at most " + staleAfter + " is allowed");
    }
    RegionState state = regions.computeIfAbsent(report.getRegion(), id -> new RegionState());
    synchronized (state) {
      IngestResult order = state.admit(report, receivedAt);
      if (order != null) {
        return order;
      }
      state.apply(report, receivedAt);
    }
    Set<String> known = knownRegions.get();
    for (VantageResult v : report.getVantageList()) {
      // A target not registered (yet, or any more) is left out rather than the whole report refused:
      // an agent's file lagging a deregistration must not silence its own region. The map stays bounded.
      if (!v.getTargetRegion().equals(report.getRegion()) && known.contains(v.getTargetRegion())) {
        vantage.computeIfAbsent(v.getTargetRegion(), t -> new ConcurrentHashMap<>())
            .put(report.getRegion(), new Vantage(status(v.getStatus()), receivedAt));
      }
    }
    return IngestResult.accepted();
  }

  /** Every known region's health as of {@code now}. */
  public HealthSnapshot snapshot(Instant now) {
    var out = new HashMap<String, RegionHealth>();
    for (String id : knownRegions.get()) {
      Set<String> seenDown = edgeDownSeenBy(id, now);
      RegionState state = regions.get(id);
      if (state == null) {
        out.put(id, RegionHealth.unknown(id, null, seenDown));
      } else {
        synchronized (state) {
          out.put(id, state.health(id, now, seenDown));
        }
      }
    }
    return new HealthSnapshot(now, out);
  }

  private Set<String> edgeDownSeenBy(String target, Instant now) {
    Map<String, Vantage> seen = vantage.get(target);
    if (seen == null) {
      return Set.of();
    }
    var down = new HashSet<String>();
    seen.forEach((observer, v) -> {
      if (v.status == RegionStatus.DOWN && fresh(v.receivedAt, now)) {
        down.add(observer);
      }
    });
    return down;
  }

  private boolean fresh(Instant receivedAt, Instant now) {
    return receivedAt != null && Duration.between(receivedAt, now).compareTo(staleAfter) < 0;
  }

  private IngestResult validate(HealthReport r) {
    int size = r.getSerializedSize();
    if (size > maxReportBytes) {
      return IngestResult.rejected(Reason.OVERSIZED, "report is " + size + " bytes; the limit is " + maxReportBytes);
    }
    if (r.getDeployment().isEmpty()) {
      return malformed("deployment is empty");
    }
    if (!r.getDeployment().equals(deployment)) {
      return IngestResult.rejected(Reason.UNKNOWN_DEPLOYMENT,
          "deployment '" + r.getDeployment() + "' is not this control plane's ('" + deployment + "')");
    }
    if (r.getRegion().isEmpty()) {
      return malformed("region is empty");
    }
    if (r.getAgentId().isEmpty()) {
      return malformed("agent_id is empty");
    }
    if (!r.hasObservedAt()) {
      return malformed("observed_at is missing");
    }
    if (!knownRegions.get().contains(r.getRegion())) {
      return IngestResult.rejected(Reason.UNKNOWN_REGION, "region '" + r.getRegion() + "' is not registered");
    }
    var names = new HashSet<String>();
    for (int i = 0; i < r.getDependenciesCount(); i++) {
      DependencyResult d = r.getDependencies(i);
      String at = "dependencies[" + i + "]";
      if (d.getName().isEmpty()) {
        return malformed(at + ": name is empty");
      }
      at += " (" + d.getName() + ")";
      if (d.getKind() == DependencyKind.DEPENDENCY_KIND_UNSPECIFIED || d.getKind() == DependencyKind.UNRECOGNIZED) {
        return malformed(at + ": kind is unspecified");
      }
      if (d.getStatus() == HealthStatus.UNRECOGNIZED) {
        return malformed(at + ": status " + d.getStatusValue() + " is not a known status");
      }
      if (!names.add(d.getName())) {
        return malformed(at + ": name is used twice");
      }
    }
    for (int i = 0; i < r.getVantageCount(); i++) {
      VantageResult v = r.getVantage(i);
      if (v.getTargetRegion().isEmpty()) {
        return malformed("vantage[" + i + "]: target_region is empty");
      }
      if (v.getStatus() == HealthStatus.UNRECOGNIZED) {
        return malformed("vantage[" + i + "] (" + v.getTargetRegion() + "): status " + v.getStatusValue()
            + " is not a known status");
      }
    }
    return null;
  }

  private static IngestResult malformed(String detail) {
    return IngestResult.rejected(Reason.MALFORMED, detail);
  }

  /** A probe verdict as a region status; a probe without a verdict yet is UNKNOWN. */
  static RegionStatus status(HealthStatus s) {
    return switch (s) {
      case HEALTH_STATUS_UP -> RegionStatus.UP;
      case HEALTH_STATUS_DEGRADED -> RegionStatus.DEGRADED;
      case HEALTH_STATUS_DOWN -> RegionStatus.DOWN;
      case HEALTH_STATUS_UNSPECIFIED, UNRECOGNIZED -> RegionStatus.UNKNOWN;
    };
  }

  /**
   * The aggregate of fresh dependencies: DOWN if a critical one is DOWN; DEGRADED if any is
   * DEGRADED, DOWN (not critical) or without verdict; otherwise UP.
   */
  static RegionStatus aggregate(Iterable<DependencyHealth> dependencies) {
    boolean degraded = false;
    for (DependencyHealth d : dependencies) {
      if (d.status() == RegionStatus.DOWN && d.critical()) {
        return RegionStatus.DOWN;
      }
      degraded |= d.status() != RegionStatus.UP;
    }
    return degraded ? RegionStatus.DEGRADED : RegionStatus.UP;
  }

  private record Vantage(RegionStatus status, Instant receivedAt) {}

  /** One agent's reports: where its sequence has got to and what it last said; guarded by its region's monitor. */
  private final class AgentState {
    long incarnation;
    long sequence;
    Instant observedAt;
    final ArrayDeque<Long> retired = new ArrayDeque<>();
    final Map<String, DependencyHealth> dependencies = new LinkedHashMap<>();
    Instant lastReportAt;
    boolean ready;
    Instant healthySince;
    int downStreak;
    int upStreak;

    void apply(HealthReport r, Instant receivedAt) {
      if (lastReportAt != null && !fresh(lastReportAt, receivedAt)) {
        // After a silence the history no longer counts.
        dependencies.clear();
        healthySince = null;
        downStreak = 0;
        upStreak = 0;
      }
      for (DependencyResult d : r.getDependenciesList()) {
        var latency = Duration.ofSeconds(d.getLatency().getSeconds(), d.getLatency().getNanos());
        dependencies.put(d.getName(), new DependencyHealth(d.getName(), d.getKind(), status(d.getStatus()),
            d.getCritical(), latency, d.getErrorText(), receivedAt));
      }
      lastReportAt = receivedAt;
      ready = r.getReady();
      RegionStatus now = aggregate(freshDependencies(receivedAt));
      downStreak = now == RegionStatus.DOWN ? downStreak + 1 : 0;
      boolean healthy = now == RegionStatus.UP && ready;
      upStreak = healthy ? upStreak + 1 : 0;
      if (!healthy) {
        healthySince = null;
      } else if (healthySince == null) {
        healthySince = receivedAt;
      }
    }

    List<DependencyHealth> freshDependencies(Instant now) {
      var out = new ArrayList<DependencyHealth>(dependencies.size());
      for (DependencyHealth d : dependencies.values()) {
        if (fresh(d.receivedAt(), now)) {
          out.add(d);
        }
      }
      return out;
    }
  }

  /** One live agent's verdict at a snapshot instant. */
  private record AgentVerdict(AgentState agent, List<DependencyHealth> dependencies, RegionStatus status) {
    boolean healthy() {
      return status == RegionStatus.UP && agent.ready;
    }
  }

  /**
   * One region's state: one {@link AgentState} per agent_id, so no agent's report resets or adds to
   * another's streak; guarded by its own monitor.
   */
  private final class RegionState {
    final Map<String, AgentState> agents = new HashMap<>();

    /** {@code null} if the report is newer than anything from its agent, else why it is dropped. */
    IngestResult admit(HealthReport r, Instant receivedAt) {
      AgentState c = agents.get(r.getAgentId());
      Instant observedAt = Instant.ofEpochSecond(r.getObservedAt().getSeconds(), r.getObservedAt().getNanos());
      if (c == null) {
        c = new AgentState();
        agents.put(r.getAgentId(), c);
      } else if (r.getIncarnation() == c.incarnation) {
        if (r.getSequence() == c.sequence) {
          return IngestResult.duplicate();
        }
        if (Long.compareUnsigned(r.getSequence(), c.sequence) < 0) {
          return IngestResult.stale();
        }
      } else if (c.retired.contains(r.getIncarnation())
          || (observedAt.isBefore(c.observedAt) && c.lastReportAt != null && fresh(c.lastReportAt, receivedAt))) {
        // Incarnations are random, not ordered: a late report of a previous process is told
        // apart by having been retired or by its agent clock being behind. Once the agent has been
        // silent for staleAfter its clock is no longer trusted for that, so a clock stepped back
        // at a restart does not starve the new process.
        return IngestResult.stale();
      } else {
        c.retired.addLast(c.incarnation);
        if (c.retired.size() > RETIRED_INCARNATIONS) {
          c.retired.removeFirst();
        }
      }
      c.incarnation = r.getIncarnation();
      c.sequence = r.getSequence();
      c.observedAt = observedAt;
      return null;
    }

    void apply(HealthReport r, Instant receivedAt) {
      agents.get(r.getAgentId()).apply(r, receivedAt);
    }

    /**
     * The region's health from its live (non-silent) agents, by majority: with {@code need} = a
     * strict majority of them, the status is the worst one that at least {@code need} agents
     * report (or worse), shown as DEGRADED when that is UP but some agent sees worse; the down
     * streak is the longest one that {@code need} DOWN agents have each reached, so the region is
     * confirmed DOWN only when a majority of its live agents are each confirmed DOWN; readiness,
     * the up streak and healthySince likewise need a majority. A single agent decides alone.
     */
    RegionHealth health(String id, Instant now, Set<String> edgeDownSeenBy) {
      Instant lastReportAt = null;
      var live = new ArrayList<AgentVerdict>();
      for (AgentState a : agents.values()) {
        if (a.lastReportAt == null) {
          continue;
        }
        if (lastReportAt == null || a.lastReportAt.isAfter(lastReportAt)) {
          lastReportAt = a.lastReportAt;
        }
        if (fresh(a.lastReportAt, now)) {
          List<DependencyHealth> deps = a.freshDependencies(now);
          live.add(new AgentVerdict(a, deps, aggregate(deps)));
        }
      }
      if (live.isEmpty()) {
        return RegionHealth.unknown(id, lastReportAt, edgeDownSeenBy);
      }
      int need = live.size() / 2 + 1;
      // Worst first; among equals the latest report first, whose dependencies are the evidence.
      live.sort(Comparator.comparingInt((AgentVerdict v) -> -severity(v.status()))
          .thenComparing(v -> v.agent().lastReportAt, Comparator.reverseOrder()));
      RegionStatus status = live.get(need - 1).status();
      if (status == RegionStatus.UP && live.get(0).status() != RegionStatus.UP) {
        status = RegionStatus.DEGRADED;
      }
      boolean ready = live.stream().filter(v -> v.agent().ready).count() >= need;
      int downStreak = status == RegionStatus.DOWN
          ? kthLargest(live.stream().filter(v -> v.status() == RegionStatus.DOWN).mapToInt(v -> v.agent().downStreak), need)
          : 0;
      List<AgentVerdict> healthy = live.stream().filter(AgentVerdict::healthy).toList();
      boolean healthyNow = status == RegionStatus.UP && ready && healthy.size() >= need;
      int upStreak = healthyNow ? kthLargest(healthy.stream().mapToInt(v -> v.agent().upStreak), need) : 0;
      // The instant since which a majority has been healthy: the need-th earliest start.
      Instant healthySince = healthyNow
          ? healthy.stream().map(v -> v.agent().healthySince).sorted().toList().get(need - 1)
          : null;
      return new RegionHealth(id, status, ready, live.get(0).dependencies(), lastReportAt, healthySince,
          downStreak, upStreak, edgeDownSeenBy);
    }
  }

  private static int severity(RegionStatus s) {
    return switch (s) {
      case UP -> 0;
      case DEGRADED -> 1;
      case DOWN -> 2;
      case UNKNOWN -> 3;
    };
  }

  /** The k-th largest value (k from 1); callers guarantee at least k values. */
  private static int kthLargest(java.util.stream.IntStream values, int k) {
    int[] sorted = values.sorted().toArray();
    return sorted[sorted.length - k];
  }
}
