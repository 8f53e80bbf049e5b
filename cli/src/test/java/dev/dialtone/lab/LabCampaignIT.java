package dev.dialtone.lab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.lab.campaign.CampaignHistory;
import dev.dialtone.lab.campaign.FaultKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * CI's short campaign: seeded schedules of seed 1009216 against the process lab (the first takes
 * us-east down whole, edge blackholed and agent killed, kills the leader with kill -9 and moves
 * us-west's agent clock 5 minutes ahead; the second drains us-east and puts it back), then a third
 * (us-west's agent clock 5 minutes behind, the leader stalled as the active region's LLM goes down)
 * judged as a broken build would leave it, which the checker must fail with a replay command.
 */
class LabCampaignIT {
  static final long SEED = 1009216;

  @Test
  void aShortCampaignPassesAndABrokenEpochGuardFailsWithAReplayableSeed(
      // A failing run leaves its evidence (histories, peers' logs) behind, as the campaign promises.
      @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path work) throws Exception {
    StringWriter printed = new StringWriter();
    AtomicInteger judged = new AtomicInteger();
    // Schedule 3 is judged as a build whose epoch guard is off would leave it: an old epoch's write
    // committed after the new leader's (what ZooKeeper's fenced transaction refuses in this build).
    UnaryOperator<CampaignHistory> brokenOnThird = h -> judged.incrementAndGet() < 3 ? h : withStaleWrite(h);

    LabCampaign.Figures f = new LabCampaign(work, SEED, List.of(1, 2, 3), new PrintWriter(printed, true), brokenOnThird).run();

    String out = printed.toString();
    System.out.println(out);
    assertThat(f.run()).isEqualTo(3);
    assertThat(f.passed()).as(out).isEqualTo(2);
    assertThat(f.injected()).containsOnlyKeys(FaultKind.REGION_DOWN, FaultKind.KILL_LEADER, FaultKind.CLOCK_AHEAD,
        FaultKind.DRAIN, FaultKind.CLOCK_BEHIND, FaultKind.STALL_LEADER_IN_FAILOVER);
    assertThat(f.takeovers()).as("the kill -9 of the leader was timed").hasSize(1);
    assertThat(f.stalledShifts()).as("the stalled leader's successor moved the traffic").hasSize(1);
    assertThat(f.unhealthyRoutes()).isZero();
    assertThat(f.staleAccepted()).isEqualTo(1);
    assertThat(f.falseFailovers()).isZero();
    assertThat(f.callsPlaced()).isPositive();
    assertThat(f.callsFailedUnattributed()).isZero();
    assertThat(f.failedReplays()).containsExactly("./dialtone lab campaign --seed 1009216 --only 3");
    assertThat(out).contains("VIOLATION stale write accepted").contains("FAILED: seed 1009216 schedule 3")
        .contains("campaign seed 1009216: schedules run 3, passed 2")
        .contains("; accepted: 1 (must be 0)")
        .contains("kill -9 of the leader -> new leader acting: n=1")
        .contains("SIGSTOP of the leader as the active region fails -> traffic moved by its successor: n=1");
    // The new levers did what they say, not only were planned: the edge and the agent went, the
    // replicas refused the reports of a clock ahead, the drain was accepted and cancelled.
    assertThat(Files.readString(work.resolve("campaign/schedule-1.txt")))
        .contains("REGION_DOWN us-east at +3.3s for 3.4s -> agent-us-east,edge in ")
        .contains("CLOCK_AHEAD us-west at +4.5s for 10.0s -> agent-us-west clock 300 s in ");
    assertThat(Files.readString(work.resolve("logs/agent-us-west.log"))).contains("report rejected (clock_skew)");
    assertThat(Files.readString(work.resolve("campaign/schedule-2.txt")))
        .contains("detail=us-east draining, at=").contains("detail=us-east drain cancelled, at=")
        .doesNotContain("accepted=false").contains(": us-east draining -- ").contains(": us-east drain cancelled: DRAINING -> PROVISIONING");
    assertThat(Files.readString(work.resolve("campaign/schedule-3.txt"))).contains("-> agent-us-west clock -300 s in ");
    assertThat(Files.readString(work.resolve("campaign/schedule-3.txt"))).contains("verdict: FAILED")
        .contains("replay: ./dialtone lab campaign --seed 1009216 --only 3");
  }

  /** The history with a new leader's entry, then a write of the leader it superseded committed after it. */
  private static CampaignHistory withStaleWrite(CampaignHistory h) {
    List<CampaignHistory.Entry> entries = new ArrayList<>(h.entries());
    long epoch = Math.max(1, entries.stream().mapToLong(CampaignHistory.Entry::epoch).max().orElse(1));
    long sequence = entries.isEmpty() ? 1 : entries.getLast().sequence() + 1;
    java.time.Instant at = entries.isEmpty() ? java.time.Instant.now() : entries.getLast().at();
    entries.add(new CampaignHistory.Entry(sequence, at.plusMillis(1), "LEADERSHIP", epoch + 1, "cp-x", "leadership gained", "", ""));
    entries.add(new CampaignHistory.Entry(sequence + 1, at.plusMillis(2), "DECISION", epoch, "policy",
        "placement committed: us-east > us-west", "a superseded leader's write", ""));
    return new CampaignHistory(h.faults(), entries, h.callsPlaced(), h.callFailures(), h.actions());
  }
}
