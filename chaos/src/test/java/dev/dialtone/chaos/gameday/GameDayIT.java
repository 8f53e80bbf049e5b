package dev.dialtone.chaos.gameday;

import static dev.dialtone.chaos.testing.StartedClients.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.dialtone.actuation.calls.CallCounter;
import dev.dialtone.actuation.calls.CallCounts;
import dev.dialtone.chaos.drill.DependencyKind;
import dev.dialtone.chaos.drill.Direction;
import dev.dialtone.chaos.drill.DrillDefinition;
import dev.dialtone.chaos.drill.DrillExpectations;
import dev.dialtone.chaos.drill.DrillGuardrails;
import dev.dialtone.chaos.drill.DrillTarget;
import dev.dialtone.chaos.drill.Fault;
import dev.dialtone.chaos.fault.FaultInjector;
import dev.dialtone.chaos.fault.OrphanToxicCleaner;
import dev.dialtone.chaos.fault.ToxicLedger;
import dev.dialtone.chaos.fault.ZooKeeperLiveRuns;
import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.Figure;
import dev.dialtone.chaos.report.ReportStore;
import dev.dialtone.chaos.report.ZooKeeperReportStore;
import dev.dialtone.chaos.run.DrillRun;
import dev.dialtone.chaos.run.DrillRunner;
import dev.dialtone.chaos.run.DrillState;
import dev.dialtone.chaos.run.DrillWorld;
import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.PreflightFacts;
import dev.dialtone.chaos.run.RunnerConfig;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.chaos.testing.RedisPath;
import dev.dialtone.chaos.zookeeper.DrillZnodes;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.redis.RedisServer;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import eu.rekawek.toxiproxy.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Drills end to end on real peers: a Redis path behind Toxiproxy, records and reports in ZooKeeper. */
class GameDayIT {
  @RegisterExtension static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);
  @RegisterExtension static final PeerExtension<ZooKeeperEnsemble> zookeeper = PeerExtension.of(ZooKeeperEnsemble::new);
  @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);

  private static final AtomicInteger deployments = new AtomicInteger();

  private DrillZnodes znodes;
  private CuratorFramework leader;
  private ScheduledExecutorService executor;
  private Proxy proxy;
  private int port;

  /**
   * A world whose "probe" is a Redis PING through the proxy: the first failed PING is the first
   * failed probe; the shift is reported right after (no control plane here); a PING that works
   * again after the heal is the failback.
   */
  private final class RedisWorld implements DrillWorld {
    private boolean sawFailure;
    private boolean failedBack;

    @Override
    public PreflightFacts preflight(DrillDefinition drill) {
      return new PreflightFacts(true, false, false, false);
    }

    @Override
    public synchronized List<TimelineEvent> poll() {
      List<TimelineEvent> events = new ArrayList<>();
      boolean works = ping(port);
      var now = Clock.systemUTC().instant();
      if (!works && !sawFailure) {
        sawFailure = true;
        events.add(new TimelineEvent(now, EventKind.FIRST_FAILED_PROBE, "redis PING failed"));
        events.add(new TimelineEvent(now, EventKind.CARRIER_SHIFTED, "stand-in"));
        events.add(new TimelineEvent(now, EventKind.DNS_SHIFTED, "stand-in"));
      } else if (works && sawFailure && !failedBack) {
        failedBack = true;
        events.add(new TimelineEvent(now, EventKind.FAILED_BACK, "redis PING works again"));
      }
      return events;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    znodes = new DrillZnodes("gameday-" + deployments.incrementAndGet());
    leader = started(zookeeper.peer().newClient());
    executor = Executors.newSingleThreadScheduledExecutor();
    proxy = toxiproxy.peer().proxy("us-east-redis", "127.0.0.1:" + redis.peer().port());
    port = ToxiproxyServer.listenPort(proxy);
  }

  @AfterEach
  void tearDown() throws Exception {
    executor.shutdownNow();
    leader.close();
    proxy.delete();
  }


  private static DrillDefinition redisDrill(Duration duration, Duration maxDuration) {
    return new DrillDefinition(
        "redis-blackhole",
        "us-east",
        new DrillTarget(DependencyKind.CACHE, "redis"),
        List.of(new Fault.Timeout(Duration.ZERO, Direction.DOWNSTREAM, 1.0)),
        duration,
        new DrillExpectations(Duration.ofSeconds(5), Duration.ofSeconds(5), true, true),
        new DrillGuardrails(true, true, true, true, true, maxDuration),
        null);
  }

  private GameDay gameDay(CuratorFramework client, ReportStore reports) {
    return gameDay(client, reports, List.of());
  }

  private GameDay gameDay(CuratorFramework client, ReportStore reports, List<CallCounter> carriers) {
    FaultInjector injector =
        new FaultInjector(toxiproxy.peer().client(), new ToxicLedger(client, znodes), new ZooKeeperLiveRuns(client, znodes), Clock.systemUTC());
    DrillRunner runner = new DrillRunner(RunnerConfig.DEFAULTS, injector, Clock.systemUTC(), executor);
    return new GameDay(runner, new RedisWorld(), reports, Clock.systemUTC(), carriers);
  }

  @Test
  void aDrillBreaksThePathHealsItPassesAndStoresItsReport() throws Exception {
    ReportStore reports = new ZooKeeperReportStore(leader, znodes, 10);
    DrillRun run = gameDay(leader, reports).runNow(redisDrill(Duration.ofSeconds(2), Duration.ofSeconds(30)), 3);

    await().atMost(Duration.ofSeconds(5)).until(() -> !ping(port));
    DrillState end = run.result().get(20, java.util.concurrent.TimeUnit.SECONDS).state();

    assertThat(end).isEqualTo(DrillState.PASSED);
    assertThat(ping(port)).isTrue();
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();
    await().atMost(Duration.ofSeconds(5)).until(() -> reports.get(run.runId()).isPresent());
    DrillReport report = reports.get(run.runId()).orElseThrow();
    assertThat(report.passed()).isTrue();
    assertThat(report.timeline())
        .extracting(TimelineEvent::kind)
        .containsSubsequence(EventKind.FAULT_INJECTED, EventKind.FIRST_FAILED_PROBE, EventKind.HEALED, EventKind.FAILED_BACK, EventKind.FINISHED);
    assertThat(reports.list()).extracting(ReportStore.Summary::runId).containsExactly(run.runId());
  }

  @Test
  void whoeverSeesTheRunEndGetsTheReportWithTheCarriersCounts() throws Exception {
    // Counts as a carrier tells them (Kamailio's, in a deployment): 3 calls before the run, 10 at its end.
    AtomicLong routed = new AtomicLong(3);
    CallCounter carrier = new CallCounter() {
      @Override
      public String name() {
        return "counting-carrier";
      }

      @Override
      public CallCounts calls() {
        return new CallCounts(Map.of("us-west", new CallCounts.Destination(routed.get(), routed.get())), 0);
      }
    };
    ReportStore reports = new ZooKeeperReportStore(leader, znodes, 10);
    GameDay gameDay = gameDay(leader, reports, List.of(carrier));
    DrillRun run = gameDay.runNow(redisDrill(Duration.ofSeconds(2), Duration.ofSeconds(30)), 3);
    routed.set(10);

    run.result().get(20, java.util.concurrent.TimeUnit.SECONDS);
    // A reader that sees the run ended before the store has its report (the admin API's
    // GetDrillReport) gets the report being stored, calls included.
    DrillReport built = gameDay.report(run.runId()).orElseThrow().get(5, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(built.figures()).extracting(Figure::name, Figure::measured)
        .contains(tuple("calls that reached us-west", "7 answered of 7 routed"), tuple("calls no destination answered", "0"));
    assertThat(reports.get(run.runId())).hasValue(built);
  }

  @Test
  void anAbortHealsThePathWithinASecond() throws Exception {
    GameDay gameDay = gameDay(leader, new ZooKeeperReportStore(leader, znodes, 10));
    DrillRun run = gameDay.runNow(redisDrill(Duration.ofMinutes(1), Duration.ofMinutes(2)), 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> !ping(port));

    assertThat(gameDay.abort(run.runId(), "operator")).isTrue();

    await().atMost(Duration.ofSeconds(1)).until(() -> ping(port));
    assertThat(run.result().get(5, java.util.concurrent.TimeUnit.SECONDS).state()).isEqualTo(DrillState.ABORTED);
    assertThat(gameDay.abort(run.runId(), "again")).isFalse();
  }

  @Test
  void aLeaderKilledMidDrillLeavesNoToxicBehind() throws Exception {
    CuratorFramework doomed = started(zookeeper.peer().newClient());
    DrillRun run = gameDay(doomed, new ZooKeeperReportStore(doomed, znodes, 10)).runNow(redisDrill(Duration.ofMinutes(1), Duration.ofMinutes(2)), 3);
    await().atMost(Duration.ofSeconds(5)).until(() -> !ping(port));

    // The leader's process dies: its runner stops and its ZooKeeper session ends.
    executor.shutdownNow();
    doomed.close();

    FaultInjector successor =
        new FaultInjector(toxiproxy.peer().client(), new ToxicLedger(leader, znodes), new ZooKeeperLiveRuns(leader, znodes), Clock.systemUTC());
    OrphanToxicCleaner cleaner = new OrphanToxicCleaner(new ToxicLedger(leader, znodes), new ZooKeeperLiveRuns(leader, znodes), successor);
    await().atMost(Duration.ofSeconds(15)).until(() -> !cleaner.clean().isEmpty());

    assertThat(ping(port)).isTrue();
    assertThat(proxy.toxics().getAll()).isEmpty();
    assertThat(new ToxicLedger(leader, znodes).list()).isEmpty();
    assertThat(run.state()).isEqualTo(DrillState.RUNNING); // it never got to heal: the successor did
  }

  private static boolean ping(int port) {
    return RedisPath.works(port);
  }
}
