package dev.dialtone.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.Figure;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.proto.v1.AbortDrillRequest;
import dev.dialtone.proto.v1.DrillRunState;
import dev.dialtone.proto.v1.FreezeRequest;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.RunDrillRequest;
import dev.dialtone.proto.v1.UnfreezeRequest;
import eu.rekawek.toxiproxy.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The lab end to end, with mTLS on: every real peer, three replicas, agents, calls, and the
 * default game day run through the leader's AdminService.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabIT {
  @TempDir static Path work;
  static Lab lab;
  static LabDrills drills;
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static final List<String> console = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws Exception {
    logs.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logs);
    lab = Lab.start(new LabSettings(work, List.of("us-east", "us-west"), ProbeProfile.DEFAULT, 5, true), console::add);
    drills = lab.drills();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  @Order(1)
  void theFirstRegionIsActiveAndCallsReachItsEdge() throws Exception {
    assertThat(lab.placement()).hasValueSatisfying(p -> assertThat(p.getActiveRegion()).isEqualTo("us-east"));
    await().atMost(Duration.ofSeconds(20)).until(() -> lab.regions().get(0).edge().answeredCalls() >= 5);
    assertThat(lab.regions().get(1).edge().answeredCalls()).isZero();
    assertThat(lab.calls().failures()).isEmpty();
  }

  @Test
  @Order(2)
  void aDrillWhosePreflightFailsNeverInjects() throws Exception {
    drills.leaderAdmin().freeze(FreezeRequest.newBuilder().setReason("lab IT: preflight must refuse").build());
    try {
      DrillReport report = drills.run("llm-timeout", "lab IT while frozen", e -> {}, Duration.ofSeconds(30));

      assertThat(report.state()).isEqualTo(DrillState.SKIPPED);
      assertThat(report.timeline()).extracting(TimelineEvent::kind)
          .contains(EventKind.PREFLIGHT_REFUSED).doesNotContain(EventKind.FAULT_INJECTED);
      Proxy llm = lab.toxiproxy().client().getProxy("us-east-llm");
      assertThat(llm.isEnabled()).isTrue();
      assertThat(llm.toxics().getAll()).isEmpty();
    } finally {
      drills.leaderAdmin().unfreeze(UnfreezeRequest.newBuilder().setReason("lab IT done").build());
    }
  }

  @Test
  @Order(3)
  void theDefaultDrillPassesItsExpectationsAndWritesItsReport() throws Exception {
    List<TimelineEvent> live = Collections.synchronizedList(new ArrayList<>());

    DrillReport report = drills.run("llm-timeout", "lab IT", live::add, Duration.ofMinutes(3));

    assertThat(report.state()).as("reason: %s, breaches: %s", report.reason(), report.breaches()).isEqualTo(DrillState.PASSED);
    assertThat(report.passed()).isTrue();
    assertThat(report.timeline()).extracting(TimelineEvent::kind).containsSubsequence(
        EventKind.FAULT_INJECTED, EventKind.FIRST_FAILED_PROBE, EventKind.REGION_DOWN, EventKind.DECISION, EventKind.HEALED,
        EventKind.FAILED_BACK);
    assertThat(report.timeline()).extracting(TimelineEvent::kind)
        .contains(EventKind.CARRIER_SHIFTED, EventKind.DNS_SHIFTED)
        .doesNotContain(EventKind.OUTAGE_MODE_ENTERED, EventKind.LAB_CALL_FAILED, EventKind.BREACH);
    assertThat(report.figures()).filteredOn(f -> f.met() != null).allMatch(Figure::met);
    assertThat(live).as("the live timeline saw what the report has").hasSizeGreaterThanOrEqualTo(report.timeline().size() - 1);
    // Calls went to us-west while us-east's LLM was down, and none failed.
    assertThat(lab.regions().get(1).edge().answeredCalls()).isPositive();
    assertThat(lab.calls().failures()).isEmpty();
    assertThat(lab.placement()).hasValueSatisfying(p -> assertThat(p.getActiveRegion()).isEqualTo("us-east"));
    Proxy llm = lab.toxiproxy().client().getProxy("us-east-llm");
    assertThat(llm.toxics().getAll()).isEmpty();

    List<Path> files = drills.write(report.runId(), work.resolve("reports"));
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly(report.runId() + ".json", report.runId() + ".md", report.runId() + ".html");
    assertThat(Files.readString(files.get(2))).contains("<svg").contains("llm-timeout");
  }

  @Test
  @Order(4)
  void aCarrierBlackholeOnTheUdpPathIsSeenAndShiftedWithoutAFailedCall() throws Exception {
    DrillReport report = drills.run("carrier-blackhole", "lab IT: UDP lever", e -> {}, Duration.ofMinutes(3));

    assertThat(report.state()).as("reason: %s, breaches: %s", report.reason(), report.breaches()).isEqualTo(DrillState.PASSED);
    assertThat(report.timeline()).extracting(TimelineEvent::kind).containsSubsequence(
        EventKind.FAULT_INJECTED, EventKind.FIRST_FAILED_PROBE, EventKind.REGION_DOWN, EventKind.DECISION, EventKind.HEALED,
        EventKind.FAILED_BACK);
    assertThat(report.timeline()).filteredOn(e -> e.kind() == EventKind.FIRST_FAILED_PROBE)
        .first().satisfies(e -> assertThat(e.detail()).contains("us-east/carrier"));
    assertThat(lab.calls().failures()).isEmpty();
  }

  @Test
  @Order(5)
  void anAbortedDrillHealsWithinASecond() throws Exception {
    await().atMost(Duration.ofSeconds(30)).until(() -> lab.placement().map(p -> "us-east".equals(p.getActiveRegion())).orElse(false));
    String runId = drills.leaderAdmin().runDrill(RunDrillRequest.newBuilder().setName("llm-timeout").setReason("lab IT: abort").build())
        .getRun().getRunId();
    Proxy llm = lab.toxiproxy().client().getProxy("us-east-llm");
    await().atMost(Duration.ofSeconds(30)).until(() -> !llm.toxics().getAll().isEmpty());

    Instant asked = Instant.now();
    drills.leaderAdmin().abortDrill(AbortDrillRequest.newBuilder().setRunId(runId).setReason("lab IT: stop now").build());
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> llm.toxics().getAll().isEmpty());
    Duration healedIn = Duration.between(asked, Instant.now());

    assertThat(healedIn).as("abort heals within a second").isLessThan(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> drills.leaderAdmin()
        .getDrillReport(GetDrillReportRequest.newBuilder().setRunId(runId).build()).getRun().getState()
        == DrillRunState.DRILL_RUN_STATE_ABORTED);
  }

  @Test
  @Order(6)
  void noSecretReachesALogTheConsoleOrAConfigFile() throws Exception {
    List<String> secrets = lab.secrets();
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(3).allMatch(s -> s.length() >= 16);
    List<String> texts = new ArrayList<>(console);
    synchronized (logs.list) {
      for (ILoggingEvent e : logs.list) {
        texts.add(e.getFormattedMessage());
        if (e.getThrowableProxy() != null) {
          texts.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
        }
      }
    }
    try (Stream<Path> configs = Files.list(work.resolve("config"))) {
      for (Path f : configs.toList()) {
        texts.add(Files.readString(f));
      }
    }
    assertThat(texts).hasSizeGreaterThan(50);
    for (String secret : secrets) {
      assertThat(texts).noneMatch(t -> t.contains(secret));
    }
  }
}
