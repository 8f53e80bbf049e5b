package dev.dialtone.lab;

import dev.dialtone.lab.campaign.CampaignChecker;
import dev.dialtone.lab.campaign.CampaignHistory;
import dev.dialtone.lab.campaign.CampaignSchedule;
import dev.dialtone.lab.campaign.FaultKind;
import dev.dialtone.lab.campaign.PlannedFault;
import dev.dialtone.peers.Readiness;
import dev.dialtone.peers.zookeeper.ZooKeeperServers;
import dev.dialtone.proto.v1.HistoryEntry;
import dev.dialtone.proto.v1.ListHistoryRequest;
import dev.dialtone.proto.v1.ListHistoryResponse;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.CancelDrainRequest;
import dev.dialtone.proto.v1.DrainRegionRequest;
import dev.dialtone.proto.v1.FreezeRequest;
import dev.dialtone.proto.v1.RegionLifecycle;
import dev.dialtone.proto.v1.SwitchoverRequest;
import dev.dialtone.proto.v1.UnfreezeRequest;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jepsen-style fault campaign on the process lab: for each seeded {@link CampaignSchedule}, while
 * lab calls flow, inject its faults into real processes and links (kill -9, SIGSTOP, cut-offs,
 * ZooKeeper servers or the quorum lost, a region's edge blackholed, an agent's clock moved, dependency
 * faults, an operator's switchover, freeze or drain), heal them, wait for the deployment to settle, then
 * judge the schedule with {@link CampaignChecker} on its history alone. A failing schedule prints
 * its seed and replay command and leaves its history beside the peers' logs.
 */
public final class LabCampaign {
  private static final Logger log = LoggerFactory.getLogger(LabCampaign.class);
  /** How long after a regional fault heals its effects still count as its own (detection, hold-down, failback). */
  static final Duration GRACE = Duration.ofSeconds(20);
  /** Surely seen by then with the default profile: failed probes to the agent's threshold, the report, the policy's tick. */
  static final Duration VISIBLE_AFTER = Duration.ofSeconds(10);
  private static final Duration SCHEDULE_ALLOWANCE = Duration.ofMinutes(3);
  private static final Duration LATENCY = Duration.ofSeconds(3);
  private static final String FAULT_TOXIC = "campaign-fault";
  /** The nft rule tag of a region's edge blackholed by REGION_DOWN. */
  private static final String EDGE_TAG = "campaign-region-down";
  /** How far CLOCK_AHEAD and CLOCK_BEHIND move an agent's clock: well past the replicas' staleAfter. */
  static final Duration CLOCK_OFFSET = Duration.ofMinutes(5);
  private static final Duration OPERATOR_DEADLINE = Duration.ofSeconds(30);
  private static final Duration ROUTED_LIMIT = Duration.ofSeconds(60);
  /** How long an operator's call waits for a leader: a kill -9 takeover takes the session timeout and a little. */
  private static final Duration LEADER_WAIT = Duration.ofSeconds(15);
  /** How long a regional fault's end waits for its region's agent to be heard again. */
  private static final Duration REPORTING_LIMIT = Duration.ofSeconds(30);
  /** How long a stalled leader's successor has to move the traffic before the figure records a miss. */
  private static final Duration SHIFT_LIMIT = Duration.ofSeconds(30);

  /** What the whole campaign saw. */
  public record Figures(int run, int passed, Map<FaultKind, Integer> injected, int staleAccepted,
      Map<String, Integer> staleRefused, int failovers,
      int falseFailovers, int unhealthyRoutes, long callsPlaced, int callsFailedAttributed, int callsFailedUnattributed,
      List<Duration> takeovers, List<Duration> stalledShifts, List<String> failedReplays) {}

  private final Path workDir;
  private final long seed;
  private final List<Integer> indexes;
  private final PrintWriter out;
  private final UnaryOperator<CampaignHistory> tamper;

  /**
   * @param indexes the schedules to run (from 1), e.g. 1..N, or the one {@code --only} names
   * @param tamper applied to each history before the check: identity in the product; a test uses it
   *     to play a broken build (e.g. one whose epoch guard lets a stale write through)
   */
  public LabCampaign(Path workDir, long seed, List<Integer> indexes, PrintWriter out, UnaryOperator<CampaignHistory> tamper) {
    if (indexes.isEmpty() || indexes.size() > 1000 || indexes.stream().anyMatch(i -> i < 1)) {
      throw new IllegalArgumentException("lab campaign: 1..1000 schedules, numbered from 1, not " + indexes.size());
    }
    this.workDir = workDir;
    this.seed = seed;
    this.indexes = List.copyOf(indexes);
    this.out = out;
    this.tamper = tamper;
  }

  /** Runs every schedule in one lab; returns the figures (also printed). */
  public Figures run() throws Exception {
    // Calls flow through every schedule: a schedule takes about a minute, so allow three each.
    LabSettings settings = new LabSettings(workDir, List.of("us-east", "us-west"), ProbeProfile.DEFAULT, 2, true)
        .withMaxRun(min(Duration.ofDays(2), Lab.MAX_RUN.plus(SCHEDULE_ALLOWANCE.multipliedBy(indexes.size()))));
    CampaignChecker checker = new CampaignChecker(GRACE, VISIBLE_AFTER);
    Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);
    List<Duration> takeovers = Collections.synchronizedList(new ArrayList<>());
    List<Duration> stalls = Collections.synchronizedList(new ArrayList<>());
    Map<String, Integer> refused = new java.util.TreeMap<>();
    List<String> failed = new ArrayList<>();
    int passed = 0;
    int stale = 0;
    int failovers = 0;
    int falseFailovers = 0;
    int unhealthyRoutes = 0;
    long placed = 0;
    int attributed = 0;
    int unattributed = 0;
    Path evidence = Files.createDirectories(workDir.resolve("campaign"));
    try (Lab lab = Lab.start(settings, line -> {})) {
      for (int index : indexes) {
        CampaignSchedule schedule = CampaignSchedule.generate(seed, index, settings.regions());
        out.printf("schedule %d (seed %d): %s%n", index, seed,
            String.join("; ", schedule.faults().stream().map(PlannedFault::describe).toList()));
        out.flush();
        Instant began = Instant.now();
        CampaignHistory history = tamper.apply(run(lab, schedule, takeovers, stalls));
        refusedSince(lab, began).forEach((actuator, n) -> refused.merge(actuator, n, Integer::sum));
        schedule.faults().forEach(f -> injected.merge(f.kind(), 1, Integer::sum));
        CampaignChecker.Verdict v = checker.check(history);
        stale += v.staleWritesAccepted();
        failovers += v.failovers();
        falseFailovers += v.falseFailovers();
        unhealthyRoutes += v.unhealthyRoutes();
        placed += history.callsPlaced();
        attributed += v.attributedCallFailures();
        unattributed += v.unattributedCallFailures();
        Path file = evidence.resolve("schedule-" + index + ".txt");
        Files.writeString(file, bundle(schedule, history, v));
        if (v.passed()) {
          passed++;
          out.printf("  passed: %d history entries, %d failover(s), %d call(s) placed, %d failed (all during a regional fault)%n",
              history.entries().size(), v.failovers(), history.callsPlaced(), v.attributedCallFailures());
        } else {
          failed.add(schedule.replayCommand());
          v.violations().forEach(violation -> out.println("  VIOLATION " + violation));
          out.printf("  FAILED: seed %d schedule %d; replay: %s; evidence: %s and the peers' logs under %s%n", seed, index,
              schedule.replayCommand(), file, workDir.resolve("logs"));
        }
        out.flush();
      }
    }
    Figures figures = new Figures(indexes.size(), passed, injected, stale, Map.copyOf(refused), failovers, falseFailovers, unhealthyRoutes, placed, attributed,
        unattributed, List.copyOf(takeovers), List.copyOf(stalls), List.copyOf(failed));
    print(figures);
    return figures;
  }

  private CampaignHistory run(Lab lab, CampaignSchedule schedule, List<Duration> takeovers, List<Duration> stalls)
      throws Exception {
    LabTakeoverBench.awaitStable(lab);
    lab.awaitAllReady(Duration.ofSeconds(90));
    awaitEveryRegionRouted(lab, lab.settings().regions());
    long after = newestSequence(lab);
    Instant start = Instant.now();
    long placedBefore = lab.calls().soFar().placed();
    List<CampaignHistory.FaultWindow> windows = Collections.synchronizedList(new ArrayList<>());
    List<CampaignHistory.Action> actions = Collections.synchronizedList(new ArrayList<>());
    ScheduledExecutorService executor = Executors.newScheduledThreadPool(4, r -> {
      Thread t = new Thread(r, "campaign");
      t.setDaemon(true);
      return t;
    });
    Duration longest = Duration.ZERO;
    try {
      for (PlannedFault f : schedule.faults()) {
        Duration end = f.after().plus(f.hold());
        longest = end.compareTo(longest) > 0 ? end : longest;
        executor.schedule(() -> inject(lab, f, windows, actions, takeovers, stalls), f.after().toMillis(), TimeUnit.MILLISECONDS);
      }
      executor.shutdown();
      if (!executor.awaitTermination(longest.toSeconds() + 45, TimeUnit.SECONDS)) {
        log.warn("[campaign] schedule {}: faults still being healed after {} s; healing everything", schedule.index(),
            longest.toSeconds() + 45);
      }
    } finally {
      executor.shutdownNow();
      healEverything(lab);
    }
    LabTakeoverBench.awaitStable(lab);
    lab.awaitAllReady(Duration.ofSeconds(90));
    long placed = lab.calls().soFar().placed() - placedBefore;
    return new CampaignHistory(windows, entriesAfter(lab, after), placed, lab.calls().failuresSince(start), actions);
  }

  // Runs on the campaign's executor: injects, waits the hold, heals, and records the window.
  private void inject(Lab lab, PlannedFault f, List<CampaignHistory.FaultWindow> windows,
      List<CampaignHistory.Action> actions, List<Duration> takeovers, List<Duration> stalls) {
    try {
      switch (f.kind()) {
        case SWITCHOVER -> {
          String to = lab.placement().map(p -> p.getStandbyRegionsCount() > 0 ? p.getStandbyRegions(0) : "").orElse("");
          Instant at = Instant.now();
          boolean accepted = false;
          if (!to.isEmpty() && lab.leader().isPresent()) {
            try {
              // Accepted means a plan started; "nothing needed doing" (the policy got there first) records nothing.
              accepted = lab.admin(lab.leader().get()).withDeadlineAfter(10, TimeUnit.SECONDS)
                  .switchover(SwitchoverRequest.newBuilder().setToRegion(to).setReason("campaign").build()).hasPlan();
            } catch (StatusRuntimeException e) {
              log.info("[campaign] switchover to {} refused: {}", to, e.getStatus());
            }
          }
          actions.add(new CampaignHistory.Action(f.kind(), "route " + to, at, accepted));
          windows.add(new CampaignHistory.FaultWindow(f, to, at, at));
        }
        case KILL_LEADER, KILL_FOLLOWER, STALL_LEADER, STALL_FOLLOWER, CUT_REPLICA_FROM_ZOOKEEPER, CUT_REPLICA_FROM_AGENTS ->
            replicaFault(lab, f, windows, takeovers);
        case KILL_ZOOKEEPER_SERVER, QUORUM_LOST -> {
          List<ZooKeeperServers.Server> servers = lab.zookeeper().servers();
          int first = Integer.parseInt(f.dependency().substring(2)) - 1;
          List<ZooKeeperServers.Server> victims = f.kind() == FaultKind.KILL_ZOOKEEPER_SERVER ? List.of(servers.get(first))
              : List.of(servers.get(first), servers.get((first + 1) % servers.size()));
          Instant at = Instant.now();
          victims.forEach(lab.zookeeper()::kill);
          hold(f);
          for (ZooKeeperServers.Server v : victims) {
            lab.zookeeper().start(v);
          }
          for (ZooKeeperServers.Server v : victims) {
            lab.zookeeper().awaitServing(v, Duration.ofSeconds(30));
          }
          windows.add(new CampaignHistory.FaultWindow(f, String.join(",", victims.stream().map(v -> "zk" + v.id()).toList()),
              at, Instant.now()));
        }
        case KILL_AGENT -> {
          String agent = "agent-" + f.region();
          Instant at = Instant.now();
          lab.faults().kill(agent);
          hold(f);
          Instant restarted = Instant.now();
          restartOnceDead(lab, agent);
          windows.add(new CampaignHistory.FaultWindow(f, agent, at, awaitReporting(lab, f.region(), restarted)));
        }
        case REGION_DOWN -> {
          LabRegion region = region(lab, f.region());
          String agent = "agent-" + f.region();
          Instant at = Instant.now();
          region.blackholeEdge(EDGE_TAG);
          boolean killed = false;
          try {
            killed = killIfRunning(lab, agent);
            hold(f);
          } finally {
            region.healEdge(EDGE_TAG);
            Instant healed = Instant.now();
            if (killed) {
              restartOnceDead(lab, agent);
              healed = awaitReporting(lab, f.region(), healed);
            }
            windows.add(new CampaignHistory.FaultWindow(f, agent + ",edge", at, healed));
          }
        }
        case CLOCK_AHEAD, CLOCK_BEHIND -> {
          String agent = "agent-" + f.region();
          Duration offset = f.kind() == FaultKind.CLOCK_AHEAD ? CLOCK_OFFSET : CLOCK_OFFSET.negated();
          Instant at = Instant.now();
          lab.clocks().set(agent, offset);
          try {
            hold(f);
          } finally {
            Instant reset = Instant.now();
            lab.clocks().reset(agent);
            // Ahead, the replicas ended the agent's streams: the region is back once a report is accepted again.
            Instant healed = f.kind() == FaultKind.CLOCK_AHEAD ? awaitReporting(lab, f.region(), reset) : Instant.now();
            windows.add(new CampaignHistory.FaultWindow(f, agent + " clock " + offset.toSeconds() + " s", at, healed));
          }
        }
        case DRAIN -> {
          Instant at = Instant.now();
          boolean drained = changed(lab, "drain " + f.region(), a -> a.drainRegion(
              DrainRegionRequest.newBuilder().setId(f.region()).setReason("campaign").build()).getChanged());
          actions.add(new CampaignHistory.Action(f.kind(), f.region() + " draining", at, drained));
          hold(f);
          Instant cancelled = Instant.now();
          boolean back = drained && changed(lab, "cancel the drain of " + f.region(), a -> a.cancelDrain(
              CancelDrainRequest.newBuilder().setId(f.region()).setReason("campaign").build()).getChanged());
          actions.add(new CampaignHistory.Action(f.kind(), f.region() + " drain cancelled", cancelled, back));
          windows.add(new CampaignHistory.FaultWindow(f, "drain " + f.region(), at, Instant.now()));
        }
        case DEPENDENCY_DOWN, DEPENDENCY_LATENCY, DEPENDENCY_TIMEOUT, DEPENDENCY_RESET -> {
          String name = f.region() + "-" + f.dependency();
          Proxy proxy = lab.toxiproxy().client().getProxy(name);
          Instant at = Instant.now();
          switch (f.kind()) {
            case DEPENDENCY_DOWN -> proxy.disable();
            case DEPENDENCY_LATENCY -> proxy.toxics().latency(FAULT_TOXIC, ToxicDirection.DOWNSTREAM, LATENCY.toMillis());
            case DEPENDENCY_TIMEOUT -> proxy.toxics().timeout(FAULT_TOXIC, ToxicDirection.DOWNSTREAM, 0); // never answers
            default -> proxy.toxics().resetPeer(FAULT_TOXIC, ToxicDirection.DOWNSTREAM, 0); // RST at once
          }
          hold(f);
          if (f.kind() == FaultKind.DEPENDENCY_DOWN) {
            proxy.enable();
          } else {
            proxy.toxics().get(FAULT_TOXIC).remove();
          }
          windows.add(new CampaignHistory.FaultWindow(f, name, at, Instant.now()));
        }
        case FREEZE -> {
          Instant at = Instant.now();
          boolean frozen = operator(lab, "freeze", a -> a.freeze(FreezeRequest.newBuilder().setReason("campaign").build()));
          actions.add(new CampaignHistory.Action(f.kind(), "freeze", at, frozen));
          hold(f);
          Instant lifted = Instant.now();
          boolean unfrozen = operator(lab, "unfreeze",
              a -> a.unfreeze(UnfreezeRequest.newBuilder().setReason("campaign").build()));
          actions.add(new CampaignHistory.Action(f.kind(), "unfreeze", lifted, unfrozen));
          windows.add(new CampaignHistory.FaultWindow(f, "freeze", at, Instant.now()));
        }
        case STALL_LEADER_IN_FAILOVER -> stallInFailover(lab, f, windows, stalls);
      }
    } catch (Exception e) {
      log.warn("[campaign] {} could not be carried out: {}", f.describe(), e.toString());
    }
  }

  /**
   * The writes refused by their targets (DNS, the carrier, ZooKeeper's epoch guard) since {@code since},
   * by actuator, as the deployment itself reported them: each fenced plan's notification to the
   * lab's webhook receiver names the steps refused, {@code actuator: error; ...}.
   */
  static Map<String, Integer> refusedSince(Lab lab, Instant since) {
    Map<String, Integer> refused = new java.util.TreeMap<>();
    for (LabNotifications.Received n : lab.notifications().since(since)) {
      if (!n.kind().equals("fenced.write.refused")) {
        continue;
      }
      refusedActuators(n.summary()).forEach(actuator -> refused.merge(actuator, 1, Integer::sum));
    }
    return refused;
  }

  /** The actuators a fenced plan's notification names, one per step refused ("unnamed" if none is). */
  static List<String> refusedActuators(String summary) {
    String marker = "owns the targets (";
    int from = summary.indexOf(marker);
    int to = summary.lastIndexOf(')');
    if (from < 0 || to < from + marker.length()) {
      return List.of("unnamed");
    }
    List<String> actuators = new ArrayList<>();
    for (String step : summary.substring(from + marker.length(), to).split("; ")) {
      int colon = step.indexOf(':');
      actuators.add((colon < 0 ? step : step.substring(0, colon)).strip());
    }
    return actuators;
  }

  /** An operator's call to the leader; false (and logged) if it was refused or no leader answered. */
  private static boolean operator(Lab lab, String what, Consumer<AdminServiceGrpc.AdminServiceBlockingStub> call) {
    return changed(lab, what, a -> {
      call.accept(a);
      return true;
    });
  }

  /**
   * An operator's call to the leader that says whether it changed anything (a drain may wait for its
   * plan, hence the longer deadline); false (and logged) if refused, unchanged or no leader answered.
   */
  private static boolean changed(Lab lab, String what, Predicate<AdminServiceGrpc.AdminServiceBlockingStub> call) {
    Optional<LabProcess> leader = awaitLeader(lab);
    if (leader.isEmpty()) {
      log.info("[campaign] {}: no leader to ask within {}", what, LEADER_WAIT);
      return false;
    }
    try {
      boolean changed = call.test(lab.admin(leader.get()).withDeadlineAfter(OPERATOR_DEADLINE.toSeconds(), TimeUnit.SECONDS));
      if (!changed) {
        log.info("[campaign] {}: nothing changed", what);
      }
      return changed;
    } catch (StatusRuntimeException e) {
      log.info("[campaign] {} refused: {}", what, e.getStatus());
      return false;
    }
  }

  /**
   * When {@code region}'s agent is heard again after {@code since} (a report accepted by a replica),
   * or the bound passed: a regional fault that silenced the agent ends there, not when its lever is
   * released, since a killed agent restarting on a busy host takes seconds to probe and report, and
   * its first probes, cold, may still fail.
   */
  private static Instant awaitReporting(Lab lab, String region, Instant since) {
    awaitOrLog(region + "'s agent heard again since " + since, REPORTING_LIMIT, () -> lab.status()
        .flatMap(s -> s.getRegionsList().stream().filter(r -> r.getId().equals(region)).findFirst())
        .filter(r -> r.hasLastReportAt() && !Instant.ofEpochSecond(r.getLastReportAt().getSeconds(),
            r.getLastReportAt().getNanos()).isBefore(since)).isPresent());
    return Instant.now();
  }

  /**
   * {@link Readiness#await} (a bounded poll of real asynchrony) that logs a timeout instead of
   * throwing: the campaign records what happened and lets the checker judge it.
   */
  private static boolean awaitOrLog(String what, Duration limit, Callable<Boolean> check) {
    try {
      Readiness.await(null, what, limit, check);
      return true;
    } catch (IllegalStateException e) {
      log.warn("[campaign] {}", e.getMessage());
      return false;
    }
  }

  // As the CLI does, an operator waits out an election (bounded) rather than give up at once.
  private static Optional<LabProcess> awaitLeader(Lab lab) {
    awaitOrLog("a leader to ask", LEADER_WAIT, () -> lab.leader().isPresent());
    return lab.leader();
  }

  private static LabRegion region(Lab lab, String id) {
    return lab.regions().stream().filter(r -> r.id().equals(id)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no lab region '" + id + "'"));
  }

  // Another fault of the same schedule may have killed it already: the region is down either way.
  private static boolean killIfRunning(Lab lab, String name) {
    if (!lab.process(name).process().isAlive()) {
      return false;
    }
    lab.faults().kill(name);
    return true;
  }

  private static void restartOnceDead(Lab lab, String name) throws IOException, InterruptedException {
    LabProcess p = lab.process(name);
    p.process().awaitExit(Duration.ofSeconds(10));
    if (!p.process().isAlive()) {
      lab.restart(name);
    }
  }

  // The leader stops as the active region's LLM goes down; healed once its successor has moved the
  // traffic (or SHIFT_LIMIT passed) and the planned hold is over.
  private void stallInFailover(Lab lab, PlannedFault f, List<CampaignHistory.FaultWindow> windows, List<Duration> stalls)
      throws Exception {
    LabTakeoverBench.Stable before = LabTakeoverBench.awaitStable(lab);
    String active = lab.placement().map(p -> p.getActiveRegion()).filter(r -> !r.isEmpty()).orElseThrow(
        () -> new IllegalStateException("no active region to fail over from"));
    Proxy llm = lab.toxiproxy().client().getProxy(active + "-" + f.dependency());
    Instant at = Instant.now();
    long t0 = System.nanoTime();
    lab.faults().stop(before.leader());
    llm.disable();
    try {
      LabTakeoverBench.awaitShiftedBySuccessor(lab, before, active, t0, SHIFT_LIMIT).ifPresentOrElse(stalls::add,
          () -> log.warn("[campaign] {}: no successor moved the traffic off {} within {}", f.describe(), active, SHIFT_LIMIT));
      long left = f.hold().toNanos() - (System.nanoTime() - t0);
      if (left > 0) {
        Thread.sleep(TimeUnit.NANOSECONDS.toMillis(left)); // the rest of the planned hold
      }
    } finally {
      llm.enable();
      lab.faults().cont(before.leader());
    }
    PlannedFault resolved = new PlannedFault(f.kind(), active, f.dependency(), f.after(), f.hold());
    windows.add(new CampaignHistory.FaultWindow(resolved, before.leader() + "," + llm.getName(), at, Instant.now()));
  }

  private void replicaFault(Lab lab, PlannedFault f, List<CampaignHistory.FaultWindow> windows, List<Duration> takeovers)
      throws Exception {
    LabTakeoverBench.Stable before = LabTakeoverBench.awaitStable(lab);
    boolean leader = f.kind() == FaultKind.KILL_LEADER || f.kind() == FaultKind.STALL_LEADER;
    String name = leader ? before.leader() : lab.replicas().stream().map(LabProcess::name)
        .filter(n -> !n.equals(before.leader())).findFirst().orElseThrow();
    Instant at = Instant.now();
    long t0 = System.nanoTime();
    switch (f.kind()) {
      case KILL_LEADER, KILL_FOLLOWER -> lab.faults().kill(name);
      case STALL_LEADER, STALL_FOLLOWER -> lab.faults().stop(name);
      case CUT_REPLICA_FROM_ZOOKEEPER -> lab.faults().cutFromZooKeeper(name);
      default -> lab.faults().cutFromAgents(name);
    }
    if (f.kind() == FaultKind.KILL_LEADER) {
      LabTakeoverBench.awaitNewLeader(lab, before, t0).ifPresent(takeovers::add);
    }
    hold(f);
    switch (f.kind()) {
      case KILL_LEADER, KILL_FOLLOWER -> {
        lab.process(name).process().awaitExit(Duration.ofSeconds(10));
        lab.restart(name);
      }
      case STALL_LEADER, STALL_FOLLOWER -> lab.faults().cont(name);
      default -> lab.faults().heal(name);
    }
    windows.add(new CampaignHistory.FaultWindow(f, name, at, Instant.now()));
  }

  private static void hold(PlannedFault f) throws InterruptedException {
    Thread.sleep(f.hold().toMillis()); // the fault's planned time in, part of the schedule
  }

  /** After a schedule, whatever a failed step left behind: stopped processes, cuts, broken proxies. */
  private static void healEverything(Lab lab) {
    lab.faults().continueEveryone();
    if (lab.status().map(s -> s.hasFreeze()).orElse(false)) {
      operator(lab, "unfreeze what a schedule left frozen",
          a -> a.unfreeze(UnfreezeRequest.newBuilder().setReason("campaign: healing").build()));
    }
    for (LabRegion r : lab.regions()) {
      try {
        r.healEdge(EDGE_TAG);
      } catch (RuntimeException e) {
        log.warn("[campaign] healing {}'s edge: {}", r.id(), e.toString());
      }
    }
    lab.agents().forEach(a -> lab.clocks().reset(a.name()));
    lab.status().ifPresent(s -> s.getRegionsList().stream()
        .filter(r -> r.getLifecycle() == RegionLifecycle.REGION_LIFECYCLE_DRAINING)
        .forEach(r -> changed(lab, "cancel the drain a schedule left of " + r.getId(), a -> a.cancelDrain(
            CancelDrainRequest.newBuilder().setId(r.getId()).setReason("campaign: healing").build()).getChanged())));
    for (LabProcess r : lab.replicas()) {
      try {
        lab.faults().heal(r.name());
      } catch (RuntimeException e) {
        log.warn("[campaign] healing {}: {}", r.name(), e.toString());
      }
    }
    for (LabProcess p : concat(lab.replicas(), lab.agents())) {
      if (!p.process().isAlive()) {
        try {
          lab.restart(p.name());
        } catch (IOException | RuntimeException e) {
          log.warn("[campaign] restarting {}: {}", p.name(), e.toString());
        }
      }
    }
    for (ZooKeeperServers.Server s : lab.zookeeper().servers()) {
      if (s.process().map(p -> !p.isAlive()).orElse(true)) {
        try {
          lab.zookeeper().start(s);
          lab.zookeeper().awaitServing(s, Duration.ofSeconds(30));
        } catch (IOException | RuntimeException e) {
          log.warn("[campaign] restarting zk{}: {}", s.id(), e.toString());
        }
      }
    }
    try {
      for (Proxy proxy : lab.toxiproxy().client().getProxies()) {
        if (!proxy.isEnabled()) {
          proxy.enable();
        }
        for (var toxic : proxy.toxics().getAll()) {
          if (toxic.getName().equals(FAULT_TOXIC)) {
            toxic.remove();
          }
        }
      }
    } catch (IOException e) {
      log.warn("[campaign] healing Toxiproxy: {}", e.toString());
    }
  }

  /**
   * Waits (bounded) until every region is routed again, active or standby: a region drained and
   * put back, or failed and healed, is proven healthy before it is a standby, and the next schedule
   * must start from the whole deployment, not half of it.
   */
  private static void awaitEveryRegionRouted(Lab lab, List<String> regions) {
    awaitOrLog("every region (" + regions + ") routed again", ROUTED_LIMIT, () -> lab.placement().map(p -> {
      List<String> all = new ArrayList<>(p.getStandbyRegionsList());
      all.add(p.getActiveRegion());
      return all.containsAll(regions);
    }).orElse(false));
  }

  private static List<LabProcess> concat(List<LabProcess> a, List<LabProcess> b) {
    List<LabProcess> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static long newestSequence(Lab lab) {
    ListHistoryResponse page = lab.admin(lab.leader().orElseThrow()).withDeadlineAfter(10, TimeUnit.SECONDS)
        .listHistory(ListHistoryRequest.newBuilder().setPageSize(1).build());
    return page.getEntriesCount() == 0 ? -1 : sequence(page.getEntries(0).getId());
  }

  /** The history after sequence {@code after}, oldest first, read from the leader page by page. */
  private static List<CampaignHistory.Entry> entriesAfter(Lab lab, long after) {
    List<CampaignHistory.Entry> entries = new ArrayList<>();
    String token = "";
    for (int pages = 0; pages < 100; pages++) {
      ListHistoryResponse page = lab.admin(lab.leader().orElseThrow()).withDeadlineAfter(10, TimeUnit.SECONDS)
          .listHistory(ListHistoryRequest.newBuilder().setPageSize(500).setPageToken(token).build());
      for (HistoryEntry e : page.getEntriesList()) {
        long seq = sequence(e.getId());
        if (seq <= after) {
          Collections.reverse(entries);
          return entries;
        }
        entries.add(new CampaignHistory.Entry(seq, Instant.ofEpochSecond(e.getAt().getSeconds(), e.getAt().getNanos()),
            e.getKind().name().replace("HISTORY_KIND_", ""), e.getEpoch(), e.getPrincipal(), e.getSummary(), e.getReason(),
            e.getEvidenceOrDefault("placement", "")));
      }
      token = page.getNextPageToken();
      if (token.isEmpty()) {
        break;
      }
    }
    Collections.reverse(entries);
    return entries;
  }

  static long sequence(String id) {
    int i = id.length();
    while (i > 0 && Character.isDigit(id.charAt(i - 1))) {
      i--;
    }
    if (i == id.length()) {
      throw new IllegalArgumentException("history entry id '" + id + "' ends in no sequence number");
    }
    return Long.parseLong(id.substring(i));
  }

  private static String bundle(CampaignSchedule s, CampaignHistory h, CampaignChecker.Verdict v) {
    StringBuilder b = new StringBuilder();
    b.append("schedule ").append(s.index()).append(" of seed ").append(s.seed()).append("; replay: ").append(s.replayCommand())
        .append("\n\nverdict: ").append(v.passed() ? "passed" : "FAILED").append('\n');
    v.violations().forEach(x -> b.append("  ").append(x).append('\n'));
    b.append("\nfaults:\n");
    h.faults().forEach(f -> b.append("  ").append(f.fault().describe()).append(" -> ").append(f.target()).append(" in ")
        .append(f.injectedAt()).append(" .. ").append(f.healedAt()).append('\n'));
    b.append("\noperator actions:\n");
    h.actions().forEach(a -> b.append("  ").append(a).append('\n'));
    b.append("\ncalls placed: ").append(h.callsPlaced()).append(", failed at: ").append(h.callFailures()).append('\n');
    b.append("\nhistory (commit order):\n");
    h.entries().forEach(e -> b.append("  ").append(e.sequence()).append(' ').append(e.at()).append(" epoch ").append(e.epoch())
        .append(' ').append(e.kind()).append(' ').append(e.principal()).append(": ").append(e.summary()).append(" -- ")
        .append(e.reason()).append('\n'));
    return b.toString();
  }

  private void print(Figures f) {
    LabBench.Stats t = LabBench.Stats.of(f.takeovers());
    out.println();
    out.printf("campaign seed %d: schedules run %d, passed %d%n", seed, f.run(), f.passed());
    out.printf("faults injected by kind: %s%n", f.injected());
    out.printf("stale writes refused: %d %s; accepted: %d (must be 0)%n", f.staleRefused().values().stream()
        .mapToInt(Integer::intValue).sum(), new java.util.TreeMap<>(f.staleRefused()), f.staleAccepted());
    out.printf("false failovers: %d of %d failover(s) (must be 0)%n", f.falseFailovers(), f.failovers());
    out.printf("routes to a region whose fault had been in for %d s or more: %d (must be 0)%n", VISIBLE_AFTER.toSeconds(),
        f.unhealthyRoutes());
    out.printf("calls placed %d, failed %d (during a regional fault: %d, outside one: %d)%n", f.callsPlaced(),
        f.callsFailedAttributed() + f.callsFailedUnattributed(), f.callsFailedAttributed(), f.callsFailedUnattributed());
    out.printf("kill -9 of the leader -> new leader acting: n=%d median=%s p99=%s  goal <= session %d ms + 500 ms = %d ms: %s%n",
        t.n(), ms(t.median()), ms(t.p99()), Lab.SESSION_TIMEOUT.toMillis(), LabTakeoverBench.GOAL.toMillis(),
        t.n() == 0 ? "no sample" : t.p99().compareTo(LabTakeoverBench.GOAL) <= 0 ? "met" : "MISSED");
    LabBench.Stats st = LabBench.Stats.of(f.stalledShifts());
    out.printf("SIGSTOP of the leader as the active region fails -> traffic moved by its successor: n=%d median=%s p99=%s%n",
        st.n(), ms(st.median()), ms(st.p99()));
    f.failedReplays().forEach(r -> out.println("replay a failed schedule: " + r));
    out.flush();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static String ms(Duration d) {
    return d == null ? "-" : d.toMillis() + " ms";
  }
}
