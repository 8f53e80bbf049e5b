package dev.dialtone.controlplane.gameday;

import static dev.dialtone.controlplane.gameday.Frames.T0;
import static dev.dialtone.controlplane.gameday.Frames.world;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.controlplane.health.RegionStatus;
import dev.dialtone.controlplane.plan.Plan;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DrillObserverTest {
  static final Instant T1 = T0.plusMillis(1200);
  static final Instant T2 = T0.plusMillis(2300);
  static final Instant T3 = T0.plusMillis(2400);

  final DrillObserver observer = DrillObserver.startingAt("us-east", "llm", world().build());

  @Test
  void aFailoverAndFailbackAreSeenOnceEachWithTheirOwnTimes() {
    assertThat(observer.observe(world().after(java.time.Duration.ofMillis(500)).build())).isEmpty();

    List<TimelineEvent> failing = observer.observe(world().at(T1).llm(RegionStatus.DOWN, T1.minusMillis(50)).build());
    assertThat(failing).containsExactly(new TimelineEvent(T1.minusMillis(50), EventKind.FIRST_FAILED_PROBE,
        "us-east/llm DOWN: timed out after 1s"));

    Plan shift = Frames.plan("e2-1", T2, "us-west");
    List<TimelineEvent> down = observer.observe(world().at(T2).llm(RegionStatus.DOWN, T2).region("us-east", RegionStatus.DOWN)
        .plan(shift).build());
    assertThat(down).extracting(TimelineEvent::kind).containsExactly(EventKind.REGION_DOWN, EventKind.DECISION);
    assertThat(down.get(0).at()).isEqualTo(T2.minusMillis(100));
    assertThat(down.get(0).detail()).isEqualTo("us-east DOWN (critical down: llm)");
    assertThat(down.get(1)).isEqualTo(new TimelineEvent(T2, EventKind.DECISION,
        "plan e2-1: route us-west (us-east DOWN x2)"));

    assertThat(observer.readBack(shift, "carrier/kamailio", T3))
        .containsExactly(new TimelineEvent(T3, EventKind.CARRIER_SHIFTED, "carrier/kamailio reads back us-west"));
    assertThat(observer.readBack(shift, "carrier/kamailio", T3.plusMillis(5))).as("once").isEmpty();
    assertThat(observer.readBack(shift, "dns/rfc2136", T3.plusMillis(10)))
        .extracting(TimelineEvent::kind).containsExactly(EventKind.DNS_SHIFTED);

    assertThat(observer.observe(world().at(T3).region("us-east", RegionStatus.DOWN).plan(shift)
        .active("us-west", T3).build())).as("the same plan and a down region seen again").isEmpty();

    Instant back = T0.plusSeconds(60);
    assertThat(observer.observe(world().at(back).plan(Frames.plan("e2-2", back.minusSeconds(1), "us-east", "us-west"))
        .active("us-east", back, "us-west").build()))
        .extracting(TimelineEvent::kind, TimelineEvent::at)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventKind.DECISION, back.minusSeconds(1)),
            org.assertj.core.groups.Tuple.tuple(EventKind.FAILED_BACK, back));
  }

  @Test
  void anOutageDrillOnEveryRegionWaitsForOutageModeReadBackAndForTrafficToComeBack() {
    DrillObserver outage = DrillObserver.startingAt("all", "llm", world().build());

    assertThat(outage.observe(world().at(T1).llm(RegionStatus.DOWN, T1).build()))
        .extracting(TimelineEvent::kind).containsExactly(EventKind.FIRST_FAILED_PROBE);
    assertThat(outage.observe(world().at(T1).region("us-east", RegionStatus.DOWN).build()))
        .as("one region down is not every region down, and no incident elsewhere in an outage drill").isEmpty();
    Plan intoOutage = Frames.plan("e2-1", T2);
    assertThat(outage.readBack(Frames.plan("e2-0", T2, "us-west"), "carrier/kamailio", T2)).as("routing is not outage").isEmpty();
    assertThat(outage.readBack(intoOutage, "carrier/kamailio", T3)).extracting(TimelineEvent::kind, TimelineEvent::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventKind.CARRIER_SHIFTED,
            "carrier/kamailio reads back OUTAGE (fallback chain)"));
    assertThat(outage.readBack(intoOutage, "dns/rfc2136", T3)).extracting(TimelineEvent::kind)
        .containsExactly(EventKind.DNS_SHIFTED);
    assertThat(outage.observe(world().at(T3).outage(T3).build())).extracting(TimelineEvent::kind)
        .containsExactly(EventKind.OUTAGE_MODE_ENTERED);
    Instant back = T0.plusSeconds(60);
    assertThat(outage.observe(world().at(back).active("us-west", back).build()))
        .extracting(TimelineEvent::kind, TimelineEvent::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventKind.FAILED_BACK, "out of outage mode: us-west active again"));
  }

  @Test
  void aDegradedProbeIsAFailedProbeButAnUnknownOneIsNot() {
    assertThat(observer.observe(world().llm(RegionStatus.UNKNOWN, T1).build())).isEmpty();
    assertThat(observer.observe(world().llm(RegionStatus.DEGRADED, T1).build()))
        .extracting(TimelineEvent::kind).containsExactly(EventKind.FIRST_FAILED_PROBE);
  }

  @Test
  void readBacksOfPlansTowardTheTargetOrIntoOutageAreNotShifts() {
    assertThat(observer.readBack(Frames.plan("e2-1", T1, "us-east", "us-west"), "carrier/kamailio", T1)).isEmpty();
    assertThat(observer.readBack(Frames.plan("e2-2", T1), "dns/rfc2136", T1)).isEmpty();
    assertThat(observer.readBack(Frames.plan("e2-3", T1, "us-west"), "webhook/pager", T1)).as("neither carrier nor DNS").isEmpty();
  }

  @Test
  void outageModeIsReportedEachTimeItIsEntered() {
    assertThat(observer.observe(world().outage(T1).build()))
        .containsExactly(new TimelineEvent(T1, EventKind.OUTAGE_MODE_ENTERED, "placement in outage mode"));
    assertThat(observer.observe(world().outage(T1).build())).isEmpty();
    assertThat(observer.observe(world().active("us-west", T2).build())).isEmpty();
    assertThat(observer.observe(world().outage(T3).build())).extracting(TimelineEvent::at).containsExactly(T3);
  }

  @Test
  void anotherRegionGoingDownIsAnIncidentElsewhereOncePerOutage() {
    assertThat(observer.observe(world().at(T1).region("us-west", RegionStatus.DOWN).build()))
        .extracting(TimelineEvent::kind, TimelineEvent::detail)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(EventKind.INCIDENT_ELSEWHERE, "us-west DOWN (critical down: llm)"));
    assertThat(observer.observe(world().at(T2).region("us-west", RegionStatus.DOWN).build())).isEmpty();
    assertThat(observer.observe(world().at(T2).build())).isEmpty();
    assertThat(observer.observe(world().at(T3).region("us-west", RegionStatus.DOWN).build())).hasSize(1);
  }

  @Test
  void whatIsAlreadyTrueAtTheStartIsTheBaselineNotAnEvent() {
    Plan old = Frames.plan("e1-9", T0.minusSeconds(30), "us-east", "us-west");
    DrillObserver late = DrillObserver.startingAt("us-east", "llm",
        world().llm(RegionStatus.DOWN, T0).region("us-west", RegionStatus.DOWN).plan(old).build());

    assertThat(late.observe(world().at(T1).llm(RegionStatus.DOWN, T1).region("us-west", RegionStatus.DOWN).plan(old).build()))
        .isEmpty();
  }

  @Test
  void noFailbackIsReportedForADrillOnARegionThatWasNotActive() {
    DrillObserver onStandby = DrillObserver.startingAt("us-west", "llm", world().build());
    assertThat(onStandby.observe(world().active("us-west", T1, "us-east").build())).isEmpty();
  }
}
