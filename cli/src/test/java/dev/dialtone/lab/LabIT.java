package dev.dialtone.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.Figure;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.peers.sipp.SippUac;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.proto.v1.AbortDrillRequest;
import dev.dialtone.proto.v1.DrillRunState;
import dev.dialtone.proto.v1.FreezeRequest;
import dev.dialtone.proto.v1.GetDrillReportRequest;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.PlanState;
import dev.dialtone.proto.v1.RunDrillRequest;
import dev.dialtone.proto.v1.UnfreezeRequest;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import dev.dialtone.testkit.HeadlessChromium;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The lab as the deployment it is, with mTLS on: ZooKeeper server processes, three replica
 * processes and one agent process per region started from their YAML files, every real peer,
 * calls; game days through the leader's AdminService; and faults of the real processes (kill -9,
 * SIGSTOP/SIGCONT) with every write of a stale leader refused by BIND, Kamailio and ZooKeeper.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabIT {
  @TempDir static Path work;
  static Lab lab;
  static LabDrills drills;
  static final List<String> console = Collections.synchronizedList(new ArrayList<>());

  @BeforeAll
  static void start() throws Exception {
    lab = Lab.start(new LabSettings(work, List.of("us-east", "us-west"), ProbeProfile.DEFAULT, 5, true), console::add);
    drills = lab.drills();
    System.out.printf("LabIT: lab up in %.1f s (processes: %s)%n", lab.upIn().toMillis() / 1000.0,
        lab.replicas().size() + lab.agents().size());
  }

  /** A test that failed half-way through a fault leaves no process frozen for the next one. */
  @AfterEach
  void wakeWhatATestFroze() {
    lab.faults().continueEveryone();
  }

  @AfterAll
  static void stop() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void everyReplicaAndAgentIsItsOwnProcessAndTheFirstRegionTakesTheCalls() throws Exception {
    assertThat(lab.replicas()).hasSize(3).allSatisfy(r -> {
      assertThat(r.process().pid()).isPresent().get().isNotEqualTo(ProcessHandle.current().pid());
      assertThat(Files.readString(r.config())).contains("replicaId: " + r.name()).contains("rfc2136").contains("kamailio");
    });
    assertThat(lab.agents()).hasSize(2).allSatisfy(a -> assertThat(a.process().isAlive()).isTrue());
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

    // A viewer watches the leader's status page through the drill (Debian's Chromium, token sign-in).
    WebDriver browser = HeadlessChromium.start(1280, 1400);
    DrillReport report;
    try {
      browser.get(lab.statusPage(lab.leader().orElseThrow()).orElseThrow().toString());
      browser.findElement(By.id("token")).sendKeys(Files.readString(lab.statusPageTokenFile().orElseThrow()).strip());
      browser.findElement(By.id("sign-in")).click();
      WebDriverWait shown = new WebDriverWait(browser, Duration.ofSeconds(20), Duration.ofMillis(50));
      shown.ignoring(StaleElementReferenceException.class); // every snapshot re-renders the sections
      shown.until(ExpectedConditions.textToBe(By.id("active-region"), "us-east"));
      shown.until(d -> d.findElement(By.cssSelector("[data-region=us-west] h3 .badge")).getText().equals("UP"));

      CompletableFuture<DrillReport> running = CompletableFuture.supplyAsync(() -> {
        try {
          return drills.run("llm-timeout", "lab IT", live::add, Duration.ofMinutes(3));
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
          .until(() -> lab.placement().map(p -> p.getActiveRegion().equals("us-west")).orElse(false));
      com.google.protobuf.Timestamp at = lab.placement().orElseThrow().getChangedAt();
      Instant committed = Instant.ofEpochSecond(at.getSeconds(), at.getNanos());
      Duration left = Duration.ofSeconds(2).minus(Duration.between(committed, Instant.now()));
      new WebDriverWait(browser, left.isNegative() ? Duration.ZERO : left, Duration.ofMillis(20))
          .until(ExpectedConditions.textToBe(By.id("active-region"), "us-west"));
      assertThat(Duration.between(committed, Instant.now())).as("the drill's failover on the page after its commit")
          .isLessThanOrEqualTo(Duration.ofSeconds(2));
      shown.until(d -> d.findElement(By.id("drill")).getText().contains("In progress: llm-timeout")
          && d.findElement(By.id("drill")).getText().contains("FAULT_INJECTED"));
      report = running.get(3, TimeUnit.MINUTES);
    } finally {
      browser.quit();
    }

    assertThat(report.state()).as("reason: %s, breaches: %s", report.reason(), report.breaches()).isEqualTo(DrillState.PASSED);
    assertThat(report.timeline()).extracting(TimelineEvent::kind).containsSubsequence(
        EventKind.FAULT_INJECTED, EventKind.FIRST_FAILED_PROBE, EventKind.REGION_DOWN, EventKind.DECISION, EventKind.HEALED,
        EventKind.FAILED_BACK);
    assertThat(report.timeline()).extracting(TimelineEvent::kind)
        .contains(EventKind.CARRIER_SHIFTED, EventKind.DNS_SHIFTED)
        .doesNotContain(EventKind.OUTAGE_MODE_ENTERED, EventKind.BREACH);
    assertThat(report.figures()).filteredOn(f -> f.met() != null).allMatch(Figure::met);
    assertThat(shiftedIn(report)).as("fault → carrier and DNS shifted").isLessThanOrEqualTo(Duration.ofSeconds(10));
    System.out.println("LabIT: default drill shifted in " + shiftedIn(report).toMillis() + " ms");
    assertThat(live).as("the live timeline saw what the report has").hasSizeGreaterThanOrEqualTo(report.timeline().size() - 1);
    assertThat(lab.regions().get(1).edge().answeredCalls()).isPositive();
    assertThat(lab.calls().failures()).isEmpty();
    assertThat(lab.placement()).hasValueSatisfying(p -> assertThat(p.getActiveRegion()).isEqualTo("us-east"));
    assertThat(lab.toxiproxy().client().getProxy("us-east-llm").toxics().getAll()).isEmpty();

    // Calls as evidence: the carrier's own counts per destination are in the report.
    assertThat(report.figures()).extracting(Figure::name).contains("calls that reached us-west", "calls no destination answered");
    // Each event of the drill reached the lab's webhook receiver exactly once.
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(lab.notifications().since(report.startedAt()))
        .extracting(LabNotifications.Received::kind)
        // The drill's end and the failback it waited for are committed moments apart: either may be told first.
        .containsSubsequence("drill.started", "failover", "failback")
        .containsOnlyOnce("drill.started", "failover", "failback", "drill.passed"));

    List<Path> files = drills.write(report, work.resolve("reports"));
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly(report.runId() + ".json", report.runId() + ".md", report.runId() + ".html");
    assertThat(Files.readString(files.get(2))).contains("<svg").contains("llm-timeout");
  }

  private static Duration shiftedIn(DrillReport report) {
    Instant injected = at(report, EventKind.FAULT_INJECTED);
    Instant carrier = at(report, EventKind.CARRIER_SHIFTED);
    Instant dns = at(report, EventKind.DNS_SHIFTED);
    return Duration.between(injected, carrier.isAfter(dns) ? carrier : dns);
  }

  private static Instant at(DrillReport report, EventKind kind) {
    return report.timeline().stream().filter(e -> e.kind() == kind).findFirst().map(TimelineEvent::at)
        .orElseThrow(() -> new AssertionError("no " + kind + " in " + report.timeline()));
  }

  @Test
  @Order(4)
  void aCarrierBlackholeOnTheUdpPathIsSeenAndShiftedWithoutAFailedCall() throws Exception {
    awaitActive("us-east");
    DrillReport report = drills.run("carrier-blackhole", "lab IT: UDP lever", e -> {}, Duration.ofMinutes(3));

    assertThat(report.state()).as("reason: %s, breaches: %s", report.reason(), report.breaches()).isEqualTo(DrillState.PASSED);
    assertThat(report.timeline()).filteredOn(e -> e.kind() == EventKind.FIRST_FAILED_PROBE)
        .first().satisfies(e -> assertThat(e.detail()).contains("us-east/carrier"));
    assertThat(lab.calls().failures()).isEmpty();
  }

  @Test
  @Order(5)
  void anAbortedDrillHealsWithinASecond() throws Exception {
    awaitActive("us-east");
    String runId = drills.leaderAdmin().runDrill(RunDrillRequest.newBuilder().setName("llm-timeout").setReason("lab IT: abort").build())
        .getRun().getRunId();
    Proxy llm = lab.toxiproxy().client().getProxy("us-east-llm");
    await().atMost(Duration.ofSeconds(30)).until(() -> !llm.toxics().getAll().isEmpty());

    Instant asked = Instant.now();
    drills.leaderAdmin().abortDrill(AbortDrillRequest.newBuilder().setRunId(runId).setReason("lab IT: stop now").build());
    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> llm.toxics().getAll().isEmpty());

    assertThat(Duration.between(asked, Instant.now())).as("abort heals within a second").isLessThan(Duration.ofSeconds(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> drills.leaderAdmin()
        .getDrillReport(GetDrillReportRequest.newBuilder().setRunId(runId).build()).getRun().getState()
        == DrillRunState.DRILL_RUN_STATE_ABORTED);
  }

  @Test
  @Order(6)
  void anOutageDrillSendsEveryCallToTheFallbackChainInOrderThenTrafficComesBack() throws Exception {
    awaitActive("us-east");
    LabFallbacks fallbacks = lab.fallbacks();
    SippUas carrierOut = new SippUas(work.resolve("outbound-target")); // where an outbound call would go
    carrierOut.start();
    String outboundTarget = "sip:+15557770000@127.0.0.1:" + carrierOut.port();
    // Before the drill, outbound calling works (so the refusal below is the outage's doing).
    SippUac.Result outboundBefore = new SippUac(work.resolve("outbound-before")).dialing(outboundTarget)
        .call(lab.kamailio().sipPort(), 1, 1, Duration.ofSeconds(15));
    assertThat(outboundBefore.answered()).isEqualTo(1);

    CompletableFuture<DrillReport> run = CompletableFuture.supplyAsync(() -> {
      try {
        return drills.run("outage", "lab IT: every region's LLM down", e -> {}, Duration.ofMinutes(3));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(30)).until(() -> lab.placement().map(p -> p.getOutageMode()).orElse(false));
    long regionCallsAtOutage = lab.regions().stream().mapToLong(r -> r.edge().answeredCalls()).sum();

    // The first destination answers while it can...
    long queueBefore = fallbacks.queue().answeredCalls();
    await().atMost(Duration.ofSeconds(15)).until(() -> fallbacks.queue().answeredCalls() >= queueBefore + 3);
    // ...and when it refuses, the next one takes the calls.
    fallbacks.queue().setMode(SippUas.Mode.SERVICE_UNAVAILABLE);
    long voicemailBefore = fallbacks.voicemail().answeredCalls();
    await().atMost(Duration.ofSeconds(15)).until(() -> fallbacks.voicemail().answeredCalls() >= voicemailBefore + 3);
    // A number with its own chain reaches its own destination, not the queue or voicemail.
    SippUac.Result vip = new SippUac(work.resolve("vip-calls")).calling(LabFallbacks.VIP_NUMBER)
        .call(lab.kamailio().sipPort(), 3, 3, Duration.ofSeconds(20));
    assertThat(vip.answered()).isEqualTo(3);
    assertThat(fallbacks.answeringService().answeredCalls()).isGreaterThanOrEqualTo(3);
    // Outbound calling is blocked in outage mode: the call is refused and never reaches its target.
    long targetInvites = carrierOut.invitesReceived();
    SippUac.Result outbound = new SippUac(work.resolve("outbound-during")).dialing(outboundTarget)
        .call(lab.kamailio().sipPort(), 1, 1, Duration.ofSeconds(15));
    assertThat(outbound.answered()).isZero();
    assertThat(carrierOut.invitesReceived()).isEqualTo(targetInvites);
    carrierOut.close();
    fallbacks.queue().setMode(SippUas.Mode.OK);

    DrillReport report = run.get();
    assertThat(report.state()).as("reason: %s, breaches: %s", report.reason(), report.breaches()).isEqualTo(DrillState.PASSED);
    assertThat(report.timeline()).extracting(TimelineEvent::kind).containsSubsequence(EventKind.FAULT_INJECTED,
        EventKind.REGION_DOWN, EventKind.OUTAGE_MODE_ENTERED, EventKind.HEALED, EventKind.FAILED_BACK);
    assertThat(report.timeline()).extracting(TimelineEvent::kind).contains(EventKind.CARRIER_SHIFTED, EventKind.DNS_SHIFTED);
    assertThat(regionCallsAtOutage).isPositive();
    // Safe exit: traffic is back on a region and no caller was lost at any point.
    await().atMost(Duration.ofSeconds(60)).until(() -> lab.placement().map(p -> !p.getOutageMode()).orElse(false));
    assertThat(lab.calls().failures()).as("every call reached a region or a fallback").isEmpty();
    System.out.printf("LabIT: outage drill calls: queue %d, voicemail %d, answering service %d, lab calls %s%n",
        fallbacks.queue().answeredCalls(), fallbacks.voicemail().answeredCalls(), fallbacks.answeringService().answeredCalls(),
        lab.calls().soFar());
  }

  @Test
  @Order(7)
  void aLeaderKilledMidPlanIsReplacedAndAStalledLeaderFindsEveryWriteRefused() throws Exception {
    awaitActive("us-east");
    // Settled after the outage drill: us-west back in the fallback order, no plan in flight (a
    // standby's rejoining plan would otherwise be the one the slow carrier below holds up).
    await().atMost(Duration.ofSeconds(30)).until(() -> status().map(s -> !inFlight(s)
        && s.getPlacement().getActiveRegion().equals("us-east") && s.getPlacement().getStandbyRegionsList().contains("us-west"))
        .orElse(false));
    Proxy rpc = lab.toxiproxy().client().getProxy("kamailio-rpc");
    Proxy llm = lab.toxiproxy().client().getProxy("us-east-llm");

    // 1. A failover whose carrier step is slow (Kamailio's RPC answers after 1.5 s) is in flight...
    rpc.toxics().latency("slow-rpc", ToxicDirection.DOWNSTREAM, 1500);
    llm.toxics().timeout("lab-it-llm", ToxicDirection.DOWNSTREAM, 0);
    LabProcess first = lab.leader().orElseThrow();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> planRunningTowards("us-west"));
    // ...when its leader dies at once (kill -9: no shutdown hook, no session close).
    lab.faults().kill(first.name());
    rpc.toxics().get("slow-rpc").remove();

    await().atMost(Duration.ofSeconds(20)).until(() -> lab.leader().filter(l -> !l.name().equals(first.name())).isPresent());
    LabProcess second = lab.leader().orElseThrow();
    await().atMost(Duration.ofSeconds(30)).until(() -> status().map(s -> !s.getPlacement().getOutageMode()
        && s.getPlacement().getActiveRegion().equals("us-west") && !inFlight(s)).orElse(false));
    long secondEpoch = status().orElseThrow().getEpoch();
    assertThat(dnsAnswer()).as("BIND answers the new region").isEqualTo(publicAddress("us-west"));
    assertThat(kamailioFirstDestination()).as("Kamailio routes to the new region first").contains("us-west");
    assertThat(bindOwnerEpoch()).isEqualTo(secondEpoch);
    assertThat(kamailioOwnerEpoch()).isEqualTo(secondEpoch);

    // 2. us-east heals and rejoins as a standby (a plan that keeps us-west active); then the new
    // leader starts the failback with the carrier slow again, and stalls (SIGSTOP) in it...
    llm.toxics().get("lab-it-llm").remove();
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> status().map(s -> !inFlight(s)
        && s.getPlacement().getActiveRegion().equals("us-west") && s.getPlacement().getStandbyRegionsList().contains("us-east"))
        .orElse(false));
    rpc.toxics().latency("slow-rpc", ToxicDirection.DOWNSTREAM, 1500);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> planRunningTowards("us-east"));
    lab.faults().stop(second.name());
    Instant stalledAt = Instant.now();
    rpc.toxics().get("slow-rpc").remove();
    // ...past its session timeout: a third replica takes over and moves traffic on.
    await().atMost(Duration.ofSeconds(30)).until(() -> lab.leader().filter(l -> !l.name().equals(second.name())).isPresent());
    LabProcess third = lab.leader().orElseThrow();
    assertThat(third.name()).isNotIn(first.name(), second.name());
    await().atMost(Duration.ofSeconds(30)).until(() -> status().map(s -> !inFlight(s) && s.getEpoch() > secondEpoch
        && s.getPlacement().getEpoch() == s.getEpoch()).orElse(false));
    GetStatusResponse newer = status().orElseThrow();
    long thirdEpoch = newer.getEpoch();
    String routedBefore = newer.getPlacement().getActiveRegion();
    assertThat(Duration.between(stalledAt, Instant.now())).isGreaterThan(Lab.SESSION_TIMEOUT);

    // 3. The stalled leader wakes up holding its old plan: every write it attempts is refused.
    lab.faults().cont(second.name());
    await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(second.process().logFile())
        .matches("(?s).*(fenced|stale|refused|no longer leader|leadership lost).*"));
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
    assertThat(bindOwnerEpoch()).as("BIND's ownership stays with the newest leader").isEqualTo(thirdEpoch);
    assertThat(kamailioOwnerEpoch()).as("Kamailio's ownership stays with the newest leader").isEqualTo(thirdEpoch);
    assertThat(dnsAnswer()).isEqualTo(publicAddress(routedBefore));
    assertThat(kamailioFirstDestination()).contains(routedBefore);
    GetStatusResponse after = status().orElseThrow();
    assertThat(after.getEpoch()).isEqualTo(thirdEpoch);
    assertThat(after.getPlacement().getEpoch()).as("nothing the stale leader held was committed").isEqualTo(thirdEpoch);
    assertThat(lab.calls().failures()).as("no call lost through the crash and the stall").isEmpty();
  }

  @Test
  @Order(8)
  void noSecretReachesALogTheConsoleOrAConfigFile() throws Exception {
    List<String> secrets = lab.secrets();
    assertThat(secrets).hasSizeGreaterThanOrEqualTo(5).allMatch(s -> s.length() >= 16);
    List<String> texts = new ArrayList<>(console);
    List<Path> files;
    try (Stream<Path> all = Files.walk(work)) {
      files = all.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".log") || f.toString().endsWith(".yaml") || f.toString().endsWith(".json"))
          .toList();
    }
    for (Path f : files) {
      texts.add(Files.readString(f));
    }
    assertThat(files).as("every process logs").hasSizeGreaterThan(10);
    for (String secret : secrets) {
      assertThat(texts).noneMatch(t -> t.contains(secret));
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static Optional<GetStatusResponse> status() {
    return lab.leader().flatMap(l -> {
      try {
        return Optional.of(lab.admin(l).getStatus(GetStatusRequest.getDefaultInstance()));
      } catch (RuntimeException e) {
        return Optional.empty();
      }
    });
  }

  @Test
  @Order(9)
  void theCliGivenEveryReplicaSwitchesOverRightAfterTheLeaderIsKilled() throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> status().map(s -> !inFlight(s) && !s.getPlacement().getOutageMode()
        && s.getPlacement().getStandbyRegionsCount() > 0).orElse(false));
    String to = status().orElseThrow().getPlacement().getStandbyRegions(0);
    String servers = String.join(",", lab.replicas().stream().map(r -> "127.0.0.1:" + r.grpcPort()).toList());
    LabProcess leader = lab.leader().orElseThrow();

    lab.faults().kill(leader.name()); // kill -9: its address stays in the list, the election has not begun

    dev.dialtone.cli.controlplane.ControlPlaneVerbsTest.Run r = dev.dialtone.cli.controlplane.ControlPlaneVerbsTest.run(
        "switchover", "--to", to, "--reason", "lab IT: right after a leader kill", "--server", servers,
        "--tls-dir", lab.operatorTlsDir().orElseThrow().toString(), "--timeout", "60");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("SUCCEEDED");
    assertThat(status().orElseThrow().getLeaderId()).isNotEqualTo(leader.name());
    assertThat(status().orElseThrow().getPlacement().getActiveRegion()).isEqualTo(to);
  }

  @Test
  @Order(10)
  void aControlPlaneDrillKillsItsOwnLeaderMidFailoverAndTheNextLeaderFinishesIt() throws Exception {
    // The earlier tests killed replicas; their supervisor (here, the test) starts them again.
    for (LabProcess r : lab.replicas()) {
      if (!r.process().isAlive()) {
        lab.restart(r.name());
      }
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> status().map(s -> !inFlight(s) && !s.getPlacement().getOutageMode()
        && s.getPlacement().getStandbyRegionsCount() > 0).orElse(false));
    lab.awaitAllReady(Duration.ofSeconds(60));
    String active = status().orElseThrow().getPlacement().getActiveRegion();
    LabProcess leader = lab.leader().orElseThrow();
    int failedBefore = lab.calls().failures().size();

    DrillReport report = drills.run("leader-kill-mid-failover", "lab IT: the drill's own leader dies", e -> {},
        Duration.ofMinutes(3));

    assertThat(report.state()).as("reason: %s, breaches: %s", report.reason(), report.breaches()).isEqualTo(DrillState.PASSED);
    assertThat(leader.process().isAlive()).as("the drill killed the leader that started it").isFalse();
    assertThat(lab.leader()).hasValueSatisfying(l -> assertThat(l.name()).isNotEqualTo(leader.name()));
    assertThat(report.takeover()).extracting(TimelineEvent::kind)
        .containsSubsequence(EventKind.LEADER_LOST, EventKind.LEADER_ELECTED, EventKind.PLAN_RESUMED)
        .contains(EventKind.CARRIER_SHIFTED, EventKind.DNS_SHIFTED);
    assertThat(report.dependencyTimeline()).extracting(TimelineEvent::kind)
        .contains(EventKind.FAULT_INJECTED, EventKind.HEALED).noneMatch(EventKind::controlPlane);
    assertThat(report.figures()).extracting(Figure::name).contains("leader lost → traffic verified (carrier and DNS)");
    assertThat(lab.calls().failures()).as("no call failed through the leader's death").hasSize(failedBefore);
    Proxy llm = lab.toxiproxy().client().getProxy(active + "-llm");
    assertThat(llm.isEnabled()).as("the next leader healed the fault the dead one injected").isTrue();
    assertThat(llm.toxics().getAll()).isEmpty();
    List<Path> files = drills.write(report, work.resolve("reports"));
    assertThat(Files.readString(files.get(1))).contains("Dependency timeline").contains("Control-plane timeline (takeover)");
    lab.restart(leader.name());
  }

  private static boolean inFlight(GetStatusResponse s) {
    return s.hasPlanInFlight() && (s.getPlanInFlight().getState() == PlanState.PLAN_STATE_RUNNING
        || s.getPlanInFlight().getState() == PlanState.PLAN_STATE_PENDING);
  }

  private static boolean planRunningTowards(String region) {
    return status().map(s -> inFlight(s) && s.getPlanInFlight().getDescription().startsWith("route " + region)).orElse(false);
  }

  private static void awaitActive(String region) {
    await().atMost(Duration.ofSeconds(60)).until(() -> status().map(s -> !inFlight(s) && !s.getPlacement().getOutageMode()
        && region.equals(s.getPlacement().getActiveRegion())).orElse(false));
  }

  private static String publicAddress(String region) {
    return lab.regions().stream().filter(r -> r.id().equals(region)).findFirst().orElseThrow().publicAddress();
  }

  private static String dnsAnswer() throws Exception {
    Message answer = lab.bind().resolver().send(Message.newQuery(Record.newRecord(Name.fromString("call." + Lab.ZONE),
        Type.A, DClass.IN)));
    return answer.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).findFirst().orElse("");
  }

  private static long bindOwnerEpoch() throws Exception {
    Message answer = lab.bind().resolver().send(Message.newQuery(Record.newRecord(
        Name.fromString("_dialtone-owner.call." + Lab.ZONE), Type.TXT, DClass.IN)));
    String txt = answer.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).findFirst().orElse("");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("epoch=(\\d+)").matcher(txt);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private static long kamailioOwnerEpoch() throws Exception {
    try (Connection c = DriverManager.getConnection(lab.kamailio().jdbcUrl(), lab.kamailio().databaseUser(),
        lab.kamailio().databasePassword());
        ResultSet rs = c.createStatement().executeQuery("SELECT epoch FROM dialtone_owner WHERE set_id = 1")) {
      return rs.next() ? rs.getLong(1) : -1;
    }
  }

  private static String kamailioFirstDestination() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lab.kamailio().rpc("dispatcher.list"));
    // Set 1's destination with the highest priority routes first; its duid names the region.
    int best = -1;
    String region = "";
    for (var record : json.path("result").path("RECORDS")) {
      if (record.path("SET").path("ID").asInt() != 1) {
        continue;
      }
      for (var target : record.path("SET").path("TARGETS")) {
        var dest = target.path("DEST");
        int p = dest.path("PRIORITY").asInt();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("duid=([a-z0-9-]+)")
            .matcher(dest.path("ATTRS").path("BODY").asText(""));
        if (p > best && m.find()) {
          best = p;
          region = m.group(1);
        }
      }
    }
    return region;
  }
}
