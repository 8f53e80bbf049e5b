package dev.dialtone.controlplane.health;

import static dev.dialtone.controlplane.health.Reports.dependency;
import static dev.dialtone.controlplane.health.Reports.healthy;
import static dev.dialtone.controlplane.health.Reports.report;
import static dev.dialtone.controlplane.health.Reports.vantage;
import static dev.dialtone.proto.v1.DependencyKind.DEPENDENCY_KIND_CACHE;
import static dev.dialtone.proto.v1.DependencyKind.DEPENDENCY_KIND_DB;
import static dev.dialtone.proto.v1.DependencyKind.DEPENDENCY_KIND_UNSPECIFIED;
import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_DEGRADED;
import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_DOWN;
import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_UNSPECIFIED;
import static dev.dialtone.proto.v1.HealthStatus.HEALTH_STATUS_UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.dialtone.controlplane.health.IngestResult.Outcome;
import dev.dialtone.controlplane.health.IngestResult.Reason;
import dev.dialtone.proto.v1.HealthReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class HealthViewTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final Duration STALE = Duration.ofSeconds(5);

  final HealthView view = new HealthView("acme-voice", () -> Set.of("east", "west", "eu"), STALE, 4096);

  @Test
  void acceptedReportShowsUpWithItsDependencies() {
    assertThat(view.ingest(healthy("east", 1, T0).build(), T0)).isEqualTo(IngestResult.accepted());
    RegionHealth east = view.snapshot(T0.plusSeconds(1)).region("east");
    assertThat(east.status()).isEqualTo(RegionStatus.UP);
    assertThat(east.ready()).isTrue();
    assertThat(east.healthy()).isTrue();
    assertThat(east.lastReportAt()).isEqualTo(T0);
    assertThat(east.dependencies()).extracting(DependencyHealth::name).containsExactly("db", "llm", "cache");
  }

  @Test
  void aRegionThatNeverReportedIsUnknown() {
    var snap = view.snapshot(T0);
    assertThat(snap.regions()).containsOnlyKeys("east", "west", "eu");
    assertThat(snap.region("west").status()).isEqualTo(RegionStatus.UNKNOWN);
    assertThat(snap.region("west").ready()).isFalse();
    assertThat(snap.region("west").lastReportAt()).isNull();
  }

  @Test
  void silenceForStaleAfterIsUnknownNotDown() {
    view.ingest(report("east", 1, T0).addDependencies(dependency("db", DEPENDENCY_KIND_DB, HEALTH_STATUS_DOWN, true))
        .build(), T0);
    assertThat(view.snapshot(T0.plus(STALE).minusMillis(1)).region("east").status()).isEqualTo(RegionStatus.DOWN);
    RegionHealth silent = view.snapshot(T0.plus(STALE)).region("east");
    assertThat(silent.status()).isEqualTo(RegionStatus.UNKNOWN);
    assertThat(silent.ready()).isFalse();
    assertThat(silent.lastReportAt()).isEqualTo(T0);
    assertThat(silent.dependencies()).isEmpty();
  }

  @Test
  void duplicatesAndOutOfOrderReportsAreDropped() {
    assertThat(view.ingest(healthy("east", 5, T0).build(), T0).outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(view.ingest(healthy("east", 5, T0).build(), T0).outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(view.ingest(healthy("east", 4, T0).build(), T0).outcome()).isEqualTo(Outcome.STALE);
    // A late DOWN report must not overwrite the newer UP one.
    var lateDown = report("east", 3, T0).addDependencies(dependency("db", DEPENDENCY_KIND_DB, HEALTH_STATUS_DOWN, true));
    assertThat(view.ingest(lateDown.build(), T0.plusSeconds(1)).outcome()).isEqualTo(Outcome.STALE);
    assertThat(view.snapshot(T0.plusSeconds(1)).region("east").status()).isEqualTo(RegionStatus.UP);
    assertThat(view.ingest(healthy("east", 6, T0).build(), T0).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void aRestartedAgentStartsOverAndItsPreviousIncarnationIsStale() {
    view.ingest(healthy("east", 900, T0).build(), T0);
    var restarted = healthy("east", 1, T0.plusSeconds(3)).setIncarnation(42).build();
    assertThat(view.ingest(restarted, T0.plusSeconds(3)).outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(view.ingest(healthy("east", 901, T0.plusSeconds(1)).build(), T0.plusSeconds(3)).outcome())
        .as("late report of the retired incarnation").isEqualTo(Outcome.STALE);
    var olderUnseen = healthy("east", 1, T0.plusSeconds(2)).setIncarnation(99).build();
    assertThat(view.ingest(olderUnseen, T0.plusSeconds(3)).outcome())
        .as("an unseen incarnation observed before the current one").isEqualTo(Outcome.STALE);
  }

  @Test
  void agentsAreTrackedApart() {
    view.ingest(healthy("east", 10, T0).build(), T0);
    var other = healthy("east", 1, T0).setAgentId("agent-east-2").build();
    assertThat(view.ingest(other, T0).outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void aReportFromTheFutureIsRefusedAndDoesNotStarveLaterOnes() {
    IngestResult future = view.ingest(healthy("east", 1, T0.plusSeconds(3600)).build(), T0);
    assertThat(future.reason()).isEqualTo(Reason.CLOCK_SKEW);
    assertThat(future.detail()).contains("agent 'agent-east'", "PT1H ahead");
    assertThat(view.ingest(healthy("east", 2, T0.plusSeconds(1)).setIncarnation(8).build(), T0.plusSeconds(1))
        .outcome()).isEqualTo(Outcome.ACCEPTED);
  }

  @Test
  void aClockSteppedBackAtARestartStarvesItsReportsNoLongerThanStaleAfter() {
    view.ingest(healthy("east", 1, T0.plusSeconds(4)).build(), T0);
    Instant later = T0.plus(STALE);
    var restarted = healthy("east", 1, T0.minusSeconds(60)).setIncarnation(42).build();
    assertThat(view.ingest(restarted, later).outcome()).isEqualTo(Outcome.ACCEPTED);
    assertThat(view.snapshot(later).region("east").status()).isEqualTo(RegionStatus.UP);
  }

  static HealthReport.Builder dbDown(String region, String agent, long sequence, Instant at) {
    return report(region, sequence, at).setAgentId(agent)
        .addDependencies(dependency("db", DEPENDENCY_KIND_DB, HEALTH_STATUS_DOWN, true));
  }

  @Test
  void twoAgentsSeeingDownConfirmByTheirOwnStreaksNotTheirSum() {
    for (int i = 1; i <= 2; i++) {
      view.ingest(dbDown("east", "a", i, T0.plusMillis(i * 100)).build(), T0.plusMillis(i * 100));
      view.ingest(dbDown("east", "b", i, T0.plusMillis(i * 100 + 50)).build(), T0.plusMillis(i * 100 + 50));
    }
    RegionHealth east = view.snapshot(T0.plusSeconds(1)).region("east");
    assertThat(east.status()).isEqualTo(RegionStatus.DOWN);
    assertThat(east.downStreak()).as("two reports from each agent, not four").isEqualTo(2);
    assertThat(east.criticalDown()).containsExactly("db");
  }

  @Test
  void oneAgentSeeingDownIsOutvotedUntilTheOtherFallsSilent() {
    for (int i = 1; i <= 3; i++) {
      Instant at = T0.plusMillis(i * 100);
      view.ingest(dbDown("east", "a", i, at).build(), at);
      view.ingest(healthy("east", i, at.plusMillis(50)).setAgentId("b").build(), at.plusMillis(50));
    }
    RegionHealth split = view.snapshot(T0.plusSeconds(1)).region("east");
    assertThat(split.status()).as("agents disagree").isEqualTo(RegionStatus.DEGRADED);
    assertThat(split.downStreak()).isZero();
    assertThat(split.healthy()).isFalse();
    // b falls silent; a's own streak was never reset by b's UP reports.
    Instant bSilent = T0.plusMillis(350).plus(STALE);
    view.ingest(dbDown("east", "a", 4, T0.plusSeconds(3)).build(), T0.plusSeconds(3));
    view.ingest(dbDown("east", "a", 5, bSilent).build(), bSilent);
    RegionHealth alone = view.snapshot(bSilent).region("east");
    assertThat(alone.status()).isEqualTo(RegionStatus.DOWN);
    assertThat(alone.downStreak()).isEqualTo(5);
  }

  @Test
  void threeAgentsGoByMajority() {
    for (int i = 1; i <= 3; i++) {
      Instant at = T0.plusMillis(i * 100);
      view.ingest(dbDown("east", "a", i, at).build(), at);
      view.ingest(dbDown("east", "b", i + 1, at).build(), at);
      view.ingest(healthy("east", i, at).setAgentId("c").build(), at);
    }
    RegionHealth east = view.snapshot(T0.plusSeconds(1)).region("east");
    assertThat(east.status()).isEqualTo(RegionStatus.DOWN);
    assertThat(east.downStreak()).isEqualTo(3);
    for (String agent : java.util.List.of("a", "b", "c")) {
      view.ingest(healthy("east", 10, T0.plusSeconds(2)).setAgentId(agent).build(), T0.plusSeconds(2));
    }
    RegionHealth up = view.snapshot(T0.plusSeconds(2)).region("east");
    assertThat(up.healthy()).isTrue();
    assertThat(up.upStreak()).isEqualTo(1);
    assertThat(up.healthySince()).isEqualTo(T0.plusSeconds(2));
  }

  static Stream<Arguments> aggregation() {
    return Stream.of(
        Arguments.of(HEALTH_STATUS_UP, true, HEALTH_STATUS_UP, RegionStatus.UP),
        Arguments.of(HEALTH_STATUS_DOWN, true, HEALTH_STATUS_UP, RegionStatus.DOWN),
        Arguments.of(HEALTH_STATUS_DOWN, true, HEALTH_STATUS_DEGRADED, RegionStatus.DOWN),
        Arguments.of(HEALTH_STATUS_DOWN, false, HEALTH_STATUS_UP, RegionStatus.DEGRADED),
        Arguments.of(HEALTH_STATUS_DEGRADED, true, HEALTH_STATUS_UP, RegionStatus.DEGRADED),
        Arguments.of(HEALTH_STATUS_UP, true, HEALTH_STATUS_DEGRADED, RegionStatus.DEGRADED),
        Arguments.of(HEALTH_STATUS_UNSPECIFIED, true, HEALTH_STATUS_UP, RegionStatus.DEGRADED));
  }

  @ParameterizedTest(name = "db {0} (critical={1}), cache {2} -> {3}")
  @MethodSource
  void aggregation(
      dev.dialtone.proto.v1.HealthStatus db, boolean dbCritical, dev.dialtone.proto.v1.HealthStatus cache,
      RegionStatus expected) {
    view.ingest(report("east", 1, T0)
        .addDependencies(dependency("db", DEPENDENCY_KIND_DB, db, dbCritical))
        .addDependencies(dependency("cache", DEPENDENCY_KIND_CACHE, cache, false)).build(), T0);
    assertThat(view.snapshot(T0).region("east").status()).isEqualTo(expected);
  }

  @Test
  void readinessComesFromTheReport() {
    view.ingest(healthy("east", 1, T0).setReady(false).build(), T0);
    RegionHealth east = view.snapshot(T0).region("east");
    assertThat(east.status()).isEqualTo(RegionStatus.UP);
    assertThat(east.ready()).isFalse();
    assertThat(east.serving()).isFalse();
    assertThat(east.healthySince()).isNull();
  }

  @Test
  void streaksAndHealthySinceFollowConsecutiveReports() {
    for (int i = 1; i <= 3; i++) {
      view.ingest(healthy("east", i, T0.plusSeconds(i)).build(), T0.plusSeconds(i));
    }
    RegionHealth up = view.snapshot(T0.plusSeconds(3)).region("east");
    assertThat(up.upStreak()).isEqualTo(3);
    assertThat(up.healthySince()).isEqualTo(T0.plusSeconds(1));
    for (int i = 4; i <= 5; i++) {
      view.ingest(report("east", i, T0.plusSeconds(i))
          .addDependencies(dependency("db", DEPENDENCY_KIND_DB, HEALTH_STATUS_DOWN, true)).build(), T0.plusSeconds(i));
    }
    RegionHealth down = view.snapshot(T0.plusSeconds(5)).region("east");
    assertThat(down.status()).isEqualTo(RegionStatus.DOWN);
    assertThat(down.downStreak()).isEqualTo(2);
    assertThat(down.upStreak()).isZero();
    assertThat(down.healthySince()).isNull();
    assertThat(down.criticalDown()).containsExactly("db");
  }

  @Test
  void aSilenceBreaksTheHealthyRun() {
    view.ingest(healthy("east", 1, T0).build(), T0);
    view.ingest(healthy("east", 2, T0.plusSeconds(1)).build(), T0.plusSeconds(1));
    Instant back = T0.plusSeconds(1).plus(STALE);
    view.ingest(healthy("east", 3, back).build(), back);
    RegionHealth east = view.snapshot(back).region("east");
    assertThat(east.healthySince()).isEqualTo(back);
    assertThat(east.upStreak()).isEqualTo(1);
  }

  @Test
  void dependenciesNotReportedForStaleAfterDropOut() {
    view.ingest(report("east", 1, T0)
        .addDependencies(dependency("db", DEPENDENCY_KIND_DB, HEALTH_STATUS_DOWN, true)).build(), T0);
    Instant later = T0.plusSeconds(4);
    view.ingest(healthy("east", 2, later).removeDependencies(0).build(), later);
    assertThat(view.snapshot(later).region("east").status()).as("db still fresh").isEqualTo(RegionStatus.DOWN);
    assertThat(view.snapshot(T0.plus(STALE)).region("east").status()).isEqualTo(RegionStatus.UP);
  }

  @Test
  void vantageRecordsWhichOtherRegionsSeeAnEdgeDown() {
    view.ingest(healthy("west", 1, T0).addVantage(vantage("east", HEALTH_STATUS_DOWN))
        .addVantage(vantage("west", HEALTH_STATUS_DOWN)).build(), T0);
    view.ingest(healthy("eu", 1, T0).addVantage(vantage("east", HEALTH_STATUS_UP)).build(), T0);
    var snap = view.snapshot(T0.plusSeconds(1));
    assertThat(snap.region("east").edgeDownSeenBy()).containsExactly("west");
    assertThat(snap.region("west").edgeDownSeenBy()).as("its own edge does not count").isEmpty();

    view.ingest(healthy("eu", 2, T0.plusSeconds(2)).addVantage(vantage("east", HEALTH_STATUS_DOWN)).build(),
        T0.plusSeconds(2));
    assertThat(view.snapshot(T0.plusSeconds(2)).region("east").edgeDownSeenBy()).containsExactlyInAnyOrder("west", "eu");
    assertThat(view.snapshot(T0.plus(STALE)).region("east").edgeDownSeenBy())
        .as("west's verdict is stale").containsExactly("eu");
    view.ingest(healthy("eu", 3, T0.plusSeconds(3)).addVantage(vantage("east", HEALTH_STATUS_UP)).build(),
        T0.plusSeconds(3));
    assertThat(view.snapshot(T0.plus(STALE)).region("east").edgeDownSeenBy()).isEmpty();
  }

  @Test
  void aVantageOfAnUnregisteredRegionIsLeftOutAndTheReportStillCounts() {
    Set<String> known = new java.util.concurrent.CopyOnWriteArraySet<>(Set.of("east", "west"));
    HealthView v = new HealthView("acme-voice", () -> known, STALE, 4096);
    IngestResult r = v.ingest(healthy("west", 1, T0).addVantage(vantage("ap-south", HEALTH_STATUS_DOWN))
        .addVantage(vantage("east", HEALTH_STATUS_DOWN)).build(), T0);
    assertThat(r.outcome()).as("an agent file lagging a deregistration must not silence its region")
        .isEqualTo(IngestResult.Outcome.ACCEPTED);
    assertThat(v.snapshot(T0).region("west").status()).isEqualTo(RegionStatus.UP);
    assertThat(v.snapshot(T0).region("east").edgeDownSeenBy()).containsExactly("west");
    known.add("ap-south");
    assertThat(v.snapshot(T0).region("ap-south").edgeDownSeenBy()).as("nothing was kept for it").isEmpty();
  }

  static Stream<Arguments> rejections() {
    return Stream.of(
        rejected(r -> r.setDeployment("other"), Reason.UNKNOWN_DEPLOYMENT,
            "deployment 'other' is not this control plane's ('acme-voice')"),
        rejected(r -> r.setDeployment(""), Reason.MALFORMED, "deployment is empty"),
        rejected(r -> r.setRegion(""), Reason.MALFORMED, "region is empty"),
        rejected(r -> r.setAgentId(""), Reason.MALFORMED, "agent_id is empty"),
        rejected(HealthReport.Builder::clearObservedAt, Reason.MALFORMED, "observed_at is missing"),
        rejected(r -> r.setRegion("mars"), Reason.UNKNOWN_REGION, "region 'mars' is not registered"),
        rejected(r -> r.addDependencies(dependency("x", DEPENDENCY_KIND_UNSPECIFIED, HEALTH_STATUS_UP, true)),
            Reason.MALFORMED, "dependencies[3] (x): kind is unspecified"),
        rejected(r -> r.addDependencies(dependency("", DEPENDENCY_KIND_DB, HEALTH_STATUS_UP, true)),
            Reason.MALFORMED, "dependencies[3]: name is empty"),
        rejected(r -> r.addDependencies(dependency("db", DEPENDENCY_KIND_DB, HEALTH_STATUS_UP, true)),
            Reason.MALFORMED, "dependencies[3] (db): name is used twice"),
        rejected(r -> r.addDependencies(dependency("x", DEPENDENCY_KIND_DB, HEALTH_STATUS_UP, true).toBuilder()
                .setStatusValue(17).build()),
            Reason.MALFORMED, "dependencies[3] (x): status 17 is not a known status"),
        rejected(r -> r.addVantage(vantage("", HEALTH_STATUS_DOWN)), Reason.MALFORMED,
            "vantage[0]: target_region is empty"),
        rejected(r -> r.addDependencies(dependency("big", DEPENDENCY_KIND_DB, HEALTH_STATUS_DOWN, true).toBuilder()
                .setErrorTextBytes(ByteString.copyFrom(new byte[5000])).build()),
            Reason.OVERSIZED, "report is "));
  }

  static Arguments rejected(UnaryOperator<HealthReport.Builder> breakIt, Reason reason, String detail) {
    return Arguments.of(breakIt, reason, detail);
  }

  @ParameterizedTest(name = "{1}: {2}")
  @MethodSource
  void rejections(UnaryOperator<HealthReport.Builder> breakIt, Reason reason, String detail) {
    IngestResult result = view.ingest(breakIt.apply(healthy("east", 1, T0)).build(), T0);
    assertThat(result.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(result.reason()).isEqualTo(reason);
    assertThat(result.detail()).startsWith(detail);
    assertThat(view.snapshot(T0).region("east").status()).as("nothing applied").isEqualTo(RegionStatus.UNKNOWN);
  }

  @Test
  void constructorValidation() {
    assertThatThrownBy(() -> new HealthView("d", Set::of, Duration.ZERO, 1))
        .hasMessage("staleAfter must be positive (was PT0S)");
    assertThatThrownBy(() -> new HealthView("d", Set::of, STALE, 0)).hasMessage("maxReportBytes must be >= 1 (was 0)");
  }
}
