package dev.dialtone.lab.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignCheckerTest {
  private static final Instant T0 = Instant.parse("2026-12-03T10:00:00Z");
  private final CampaignChecker checker = new CampaignChecker(Duration.ofSeconds(20), Duration.ofSeconds(10));

  private static CampaignHistory.Entry entry(long seq, int second, long epoch, String principal, String summary, String reason,
      String placement) {
    return new CampaignHistory.Entry(seq, T0.plusSeconds(second), "DECISION", epoch, principal, summary, reason, placement);
  }

  private static CampaignHistory.FaultWindow fault(FaultKind kind, String region, int from, int to) {
    return new CampaignHistory.FaultWindow(new PlannedFault(kind, region, "db", Duration.ZERO, Duration.ofSeconds(to - from)),
        region + "-db", T0.plusSeconds(from), T0.plusSeconds(to));
  }

  /** A failover during a DB fault on us-east, the leader killed and replaced, then failback. */
  private static List<CampaignHistory.Entry> goodEntries() {
    return new ArrayList<>(List.of(
        entry(10, 1, 3, "policy", "Shift: route us-west > us-east", "us-east DOWN (critical db DOWN)", "us-east > us-west"),
        entry(11, 2, 3, "policy", "placement committed: us-west > us-east", "", ""),
        new CampaignHistory.Entry(12, T0.plusSeconds(9), "LEADERSHIP", 4, "cp-2", "leadership gained", "", ""),
        entry(13, 20, 4, "policy", "Shift: route us-east > us-west", "failing back to preferred us-east: healthy", "us-west > us-east")));
  }

  @Test
  void aCleanHistoryPasses() {
    CampaignChecker.Verdict v = checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6)),
        goodEntries(), 40, List.of(T0.plusSeconds(1)), List.of()));

    assertThat(v.violations()).isEmpty();
    assertThat(v.failovers()).isEqualTo(1);
    assertThat(v.attributedCallFailures()).isEqualTo(1);
  }

  @Test
  void aWriteUnderASupersededEpochFails() {
    List<CampaignHistory.Entry> entries = goodEntries();
    entries.add(entry(14, 21, 3, "policy", "placement committed: us-west > us-east", "", "")); // epoch 3 after 4 wrote

    CampaignChecker.Verdict v = checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6)),
        entries, 40, List.of(), List.of()));

    assertThat(v.staleWritesAccepted()).isEqualTo(1);
    assertThat(v.violations()).anyMatch(s -> s.startsWith("stale write accepted: history entry 14"))
        .anyMatch(s -> s.startsWith("two leaders acting at once: epoch 3 wrote until"));
  }

  @Test
  void aFailoverOffARegionNoFaultTouchedIsFalse() {
    CampaignChecker.Verdict v = checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-west", 0, 6)),
        goodEntries(), 40, List.of(), List.of()));

    assertThat(v.falseFailovers()).isEqualTo(1);
    assertThat(v.violations()).singleElement().asString().startsWith("false failover: Shift: route us-west > us-east");
  }

  @Test
  void aFailoverLongAfterTheFaultHealedIsFalseAndAReplicaFaultExplainsNone() {
    List<CampaignHistory.Entry> entries = List.of(entry(10, 60, 3, "policy", "Shift: route us-west > us-east", "us-east DOWN",
        "us-east > us-west"));

    CampaignChecker.Verdict v = checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6),
        new CampaignHistory.FaultWindow(new PlannedFault(FaultKind.KILL_LEADER, "", "", Duration.ZERO, Duration.ofSeconds(90)),
            "cp-1", T0, T0.plusSeconds(90))), entries, 40, List.of(T0.plusSeconds(70)), List.of()));

    assertThat(v.falseFailovers()).isEqualTo(1);
    assertThat(v.unattributedCallFailures()).as("a leader kill must not fail calls").isEqualTo(1);
  }

  @Test
  void aRouteToARegionWhoseFaultWasLongVisibleFailsButOneDecidedBeforeItWasSeenDoesNot() {
    CampaignHistory.FaultWindow westDown = fault(FaultKind.DEPENDENCY_DOWN, "us-west", 0, 30);
    List<CampaignHistory.Entry> tooEarlyToSee = new ArrayList<>(goodEntries()); // route us-west at +1 s, seen from +10 s
    CampaignChecker.Verdict early = checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6),
        westDown), tooEarlyToSee, 40, List.of(), List.of()));
    assertThat(early.unhealthyRoutes()).isZero();

    List<CampaignHistory.Entry> late = new ArrayList<>(goodEntries());
    late.add(entry(14, 25, 4, "operator", "Shift: route us-west > us-east", "campaign", "us-east > us-west"));
    CampaignChecker.Verdict v = checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6),
        westDown), late, 40, List.of(), List.of()));
    assertThat(v.unhealthyRoutes()).isEqualTo(1);
    assertThat(v.violations()).singleElement().asString()
        .startsWith("routed to an unhealthy region: Shift: route us-west > us-east at " + T0.plusSeconds(25))
        .contains("by operator").contains("DEPENDENCY_DOWN us-west/db");

    // Once healed, the region is a fair target again; and outage mode is the fallback chain, never a route.
    List<CampaignHistory.Entry> afterHeal = new ArrayList<>(goodEntries());
    afterHeal.add(entry(14, 31, 4, "policy", "Shift: route us-west > us-east", "us-east DOWN", "us-east > us-west"));
    afterHeal.add(entry(15, 26, 4, "policy", "EnterOutage", "no healthy region", "us-west > us-east"));
    assertThat(checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6), westDown), afterHeal,
        40, List.of(), List.of())).unhealthyRoutes()).isZero();
  }

  @Test
  void thePolicyMovingTrafficWhileFrozenFailsButAfterTheUnfreezeItMay() {
    CampaignHistory.FaultWindow eastDown = fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 30);
    CampaignHistory.Entry freeze = new CampaignHistory.Entry(9, T0, "MANUAL_ACTION", 3, "ops", "freeze", "campaign", "");
    CampaignHistory.Entry unfreeze = new CampaignHistory.Entry(12, T0.plusSeconds(4), "MANUAL_ACTION", 3, "ops", "unfreeze",
        "campaign", "");
    CampaignHistory.Entry shift = entry(11, 3, 3, "policy", "Shift: route us-west > us-east", "us-east DOWN", "us-east > us-west");

    CampaignChecker.Verdict whileFrozen = checker.check(new CampaignHistory(List.of(eastDown), List.of(freeze, shift, unfreeze),
        0, List.of(), List.of()));
    assertThat(whileFrozen.violations()).singleElement().asString()
        .isEqualTo("the policy acted while frozen: Shift: route us-west > us-east at " + T0.plusSeconds(3) + " (epoch 3)");

    CampaignHistory.Entry shiftAfter = entry(13, 5, 3, "policy", "Shift: route us-west > us-east", "us-east DOWN",
        "us-east > us-west");
    assertThat(checker.check(new CampaignHistory(List.of(eastDown), List.of(freeze, unfreeze, shiftAfter), 0, List.of(),
        List.of())).violations()).isEmpty();
  }

  @Test
  void anAcceptedOperatorActionMustBeInTheHistory() {
    CampaignHistory.Action switchover = new CampaignHistory.Action(FaultKind.SWITCHOVER, "route us-west", T0.plusSeconds(30), true);
    List<CampaignHistory.Entry> recorded = new ArrayList<>(goodEntries());
    recorded.add(entry(14, 30, 4, "operator", "Shift: route us-west > us-east", "campaign", "us-east > us-west"));

    assertThat(checker.check(new CampaignHistory(List.of(), goodEntries(), 0, List.of(), List.of(switchover))).violations())
        .contains("operator action missing from the history: SWITCHOVER route us-west at " + T0.plusSeconds(30))
        .as("and the failover at +1 s had no fault").hasSize(2);
    assertThat(checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6)), recorded, 0,
        List.of(), List.of(switchover))).violations()).isEmpty();
  }

  @Test
  void aRouteNamingARegionBeingDrainedFailsOnceTheDrainIsCancelledItDoesNot() {
    CampaignHistory.Entry drained = new CampaignHistory.Entry(20, T0.plusSeconds(30), "REGION", 4, "operator",
        "us-east draining", "campaign", "");
    CampaignHistory.Entry moved = entry(21, 31, 4, "operator", "Shift: route us-west", "draining us-east", "us-east > us-west");
    CampaignHistory.Entry standby = entry(22, 33, 4, "policy", "Shift: route us-west > us-east", "refreshing standbys", "us-west");
    CampaignHistory.Entry cancelled = new CampaignHistory.Entry(23, T0.plusSeconds(40), "REGION", 4, "operator",
        "us-east drain cancelled: DRAINING -> PROVISIONING", "campaign", "");
    CampaignHistory.Entry back = entry(24, 55, 4, "policy", "Shift: route us-west > us-east", "us-east proven healthy", "us-west");
    List<CampaignHistory.Action> actions = List.of(
        new CampaignHistory.Action(FaultKind.DRAIN, "us-east draining", T0.plusSeconds(30), true),
        new CampaignHistory.Action(FaultKind.DRAIN, "us-east drain cancelled", T0.plusSeconds(40), true));

    List<CampaignHistory.Entry> bad = goodEntries();
    bad.addAll(List.of(drained, moved, standby, cancelled, back));
    CampaignChecker.Verdict v = checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6)),
        bad, 0, List.of(), actions));
    assertThat(v.violations()).singleElement().asString()
        .startsWith("routed to a draining region: Shift: route us-west > us-east at " + T0.plusSeconds(33))
        .contains("names us-east");

    List<CampaignHistory.Entry> good = goodEntries();
    good.addAll(List.of(drained, moved, cancelled, back));
    assertThat(checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6)), good, 0,
        List.of(), actions)).violations()).as("the drain moved traffic by hand, not a failover; the route after the cancel is fine")
        .isEmpty();
    assertThat(checker.check(new CampaignHistory(List.of(fault(FaultKind.DEPENDENCY_DOWN, "us-east", 0, 6)),
        goodEntries(), 0, List.of(), actions)).violations()).as("a drain the control plane accepted must be in the history")
        .hasSize(2).allMatch(x -> x.startsWith("operator action missing from the history: DRAIN us-east drain"));
  }

  @Test
  void keepingASilentRegionActiveIsNoRouteToItButKeepingOneWithABrokenDependencyIs() {
    // Seed 2026 schedule 63: us-west's agent killed at +0, restarted; the policy kept us-west active
    // as us-east rejoined as standby at +13.8 s, before the campaign had heard the agent again.
    CampaignHistory.Entry rejoin = entry(20, 14, 3, "policy", "Shift: route us-west > us-east",
        "active us-west stays; fallback order (none) becomes us-east; joining: us-east (UP and ready)", "us-west");
    CampaignHistory.FaultWindow agentKilled = new CampaignHistory.FaultWindow(
        new PlannedFault(FaultKind.KILL_AGENT, "us-west", "", Duration.ZERO, Duration.ofSeconds(10)), "agent-us-west", T0,
        T0.plusSeconds(15));
    assertThat(checker.check(new CampaignHistory(List.of(agentKilled), List.of(rejoin), 0, List.of(), List.of()))
        .violations()).isEmpty();

    CampaignHistory.FaultWindow dbDown = fault(FaultKind.DEPENDENCY_DOWN, "us-west", 0, 15);
    assertThat(checker.check(new CampaignHistory(List.of(dbDown), List.of(rejoin), 0, List.of(), List.of()))
        .unhealthyRoutes()).as("a dependency long down is seen: the policy must not keep routing there").isEqualTo(1);
    CampaignHistory.Entry moveTo = entry(20, 14, 3, "operator", "Shift: route us-west > us-east", "campaign", "us-east > us-west");
    assertThat(checker.check(new CampaignHistory(List.of(agentKilled), List.of(moveTo), 0, List.of(), List.of()))
        .unhealthyRoutes()).as("a move to a region silent for 14 s is a route to it").isEqualTo(1);
  }

  @Test
  void aClockAheadExplainsAFailoverAndAClockBehindDoesNot() {
    List<CampaignHistory.Entry> failover = List.of(entry(10, 12, 3, "policy", "Shift: route us-west > us-east",
        "us-east UNKNOWN (no report for 6s)", "us-east > us-west"));
    CampaignHistory.FaultWindow ahead = new CampaignHistory.FaultWindow(
        new PlannedFault(FaultKind.CLOCK_AHEAD, "us-east", "", Duration.ZERO, Duration.ofSeconds(9)),
        "agent-us-east clock 300 s", T0.plusSeconds(2), T0.plusSeconds(11));
    CampaignHistory.FaultWindow behind = new CampaignHistory.FaultWindow(
        new PlannedFault(FaultKind.CLOCK_BEHIND, "us-east", "", Duration.ZERO, Duration.ofSeconds(9)),
        "agent-us-east clock -300 s", T0.plusSeconds(2), T0.plusSeconds(11));

    assertThat(checker.check(new CampaignHistory(List.of(ahead), failover, 0, List.of(), List.of())).violations()).isEmpty();
    CampaignChecker.Verdict v = checker.check(new CampaignHistory(List.of(behind), failover, 0, List.of(), List.of()));
    assertThat(v.falseFailovers()).as("reports from a clock behind still count: nothing should have moved").isEqualTo(1);
  }

  @Test
  void schedulesAimRegionFaultsClocksAndDrainsAtARegionAndNothingElse() {
    List<String> regions = List.of("us-east", "us-west");
    java.util.Set<FaultKind> seen = java.util.EnumSet.noneOf(FaultKind.class);
    for (int i = 1; i <= 400; i++) {
      for (PlannedFault f : CampaignSchedule.generate(5, i, regions).faults()) {
        seen.add(f.kind());
        if (f.kind() == FaultKind.STALL_LEADER_IN_FAILOVER) {
          assertThat(f.region()).isEqualTo(CampaignSchedule.ACTIVE);
        } else if (f.kind().targetsRegion()) {
          assertThat(regions).as(f.describe()).contains(f.region());
        } else {
          assertThat(f.region()).as(f.describe()).isEmpty();
        }
      }
    }
    assertThat(seen).as("400 schedules draw every kind").containsAll(java.util.EnumSet.allOf(FaultKind.class));
    assertThat(FaultKind.DRAIN.operatorAction()).isTrue();
    assertThat(FaultKind.CLOCK_BEHIND.regional()).isFalse();
    assertThat(FaultKind.REGION_DOWN.regional()).isTrue();
  }

  @Test
  void schedulesAreReproducibleFromTheirSeed() {
    List<String> regions = List.of("us-east", "us-west");
    assertThat(CampaignSchedule.generate(42, 7, regions)).isEqualTo(CampaignSchedule.generate(42, 7, regions));
    assertThat(java.util.stream.IntStream.rangeClosed(1, 50).mapToObj(i -> CampaignSchedule.generate(42, i, regions)).distinct())
        .hasSize(50);
    for (int i = 1; i <= 200; i++) {
      CampaignSchedule s = CampaignSchedule.generate(9, i, regions);
      assertThat(s.faults()).hasSizeBetween(1, CampaignSchedule.MAX_FAULTS);
      assertThat(s.faults().stream().filter(f -> f.kind().controlPlane()).count())
          .as("one replica fault at most").isLessThanOrEqualTo(1);
      assertThat(s.replayCommand()).isEqualTo("./dialtone lab campaign --seed 9 --only " + i);
    }
  }
}
