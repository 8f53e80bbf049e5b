package dev.dialtone.carrier.kamailio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.actuation.calls.CallCounts;
import dev.dialtone.actuation.zookeeper.ZooKeeperEpochGuard;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.fallback.RingMode;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Secret;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.kamailio.KamailioServer;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.sipp.SippUac;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.net.URI;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real call path: SIPp UAC → Kamailio (the shipped dialtone-routing.cfg, dispatcher and htable
 * loaded from PostgreSQL) → one SIPp UAS per region or fallback destination. The actuator reaches
 * Kamailio only over the network: its database and its token-protected JSON-RPC.
 */
class KamailioDispatcherActuatorIT {
  @RegisterExtension @Order(1) static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);
  @RegisterExtension @Order(2) static final PeerExtension<SippUas> east = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(3) static final PeerExtension<SippUas> west = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(4) static final PeerExtension<SippUas> queue = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(5) static final PeerExtension<SippUas> voicemail = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(6) static final PeerExtension<PostgresServer> postgres = PeerExtension.of(PostgresServer::new);

  @RegisterExtension
  @Order(7)
  static final PeerExtension<KamailioServer> kamailio = PeerExtension.of(dir ->
      new KamailioServer(dir, postgres.peer(), 1, List.of(east.peer().sipUri(), west.peer().sipUri()), List.of()));

  private static final String VIP = "+15557654321";
  private static CuratorFramework client;
  private static final String EPOCH_PATH = "/dialtone/acme/epoch";
  private static final AtomicInteger guardChecks = new AtomicInteger();
  // The control plane's own guard, counted so a test can show it was asked.
  private static EpochGuard guard;
  private static KamailioConfig config;
  private static FallbackPlan fallback;
  private static KamailioDispatcherActuator actuator;
  private static long epoch = 10;

  @TempDir Path uacDir;

  @BeforeAll
  static void connect() throws Exception {
    client = zk.peer().newClient();
    client.start();
    ZooKeeperEpochGuard production = new ZooKeeperEpochGuard(client, EPOCH_PATH);
    guard = e -> {
      guardChecks.incrementAndGet();
      production.check(e);
    };
    setEpoch(epoch);
    // Bound from YAML as the replica binds it: network addresses and secrets, nothing else.
    config = ConfigLoader.of(KamailioConfig.class, Map.of(
        "KAMAILIO_RPC_TOKEN", kamailio.peer().rpcToken(), "KAMAILIO_DB_PASSWORD", kamailio.peer().databasePassword()))
        .parse("cp.yaml", """
            rpcUrl: "%s"
            rpcToken: "env:KAMAILIO_RPC_TOKEN"
            database:
              jdbcUrl: "%s"
              user: %s
              password: "env:KAMAILIO_DB_PASSWORD"
            setId: 1
            """.formatted(kamailio.peer().rpcUrl(), kamailio.peer().jdbcUrl(), kamailio.peer().databaseUser()));
    fallback = new FallbackPlan(
        List.of(FallbackDestination.queue(queue.peer().sipUri()), FallbackDestination.voicemail(voicemail.peer().sipUri())),
        Map.of(VIP, List.of(FallbackDestination.voicemail(voicemail.peer().sipUri()))), RingMode.SEQUENTIAL, null);
    actuator = new KamailioDispatcherActuator(config, fallback, guard, Clock.systemUTC());
  }

  @AfterAll
  static void disconnect() {
    actuator.close();
    client.close();
  }

  @BeforeEach
  void newTerm() throws Exception {
    epoch++;
    setEpoch(epoch);
  }

  /** Sets the epoch znode, as a new leader term would. */
  private static void setEpoch(long e) throws Exception {
    byte[] data = Long.toString(e).getBytes(StandardCharsets.US_ASCII);
    if (client.checkExists().forPath(EPOCH_PATH) == null) {
      client.create().creatingParentsIfNeeded().forPath(EPOCH_PATH, data);
    } else {
      client.setData().forPath(EPOCH_PATH, data);
    }
  }

  private static RegionEdge edge(String id, SippUas uas) {
    return new RegionEdge(id, List.of("127.0.0.1"), List.of(), URI.create(uas.sipUri()), null);
  }

  private static TrafficTarget.Routed routed(String first) {
    return first.equals("us-east")
        ? new TrafficTarget.Routed(List.of(edge("us-east", east.peer()), edge("us-west", west.peer())))
        : new TrafficTarget.Routed(List.of(edge("us-west", west.peer()), edge("us-east", east.peer())));
  }

  private SippUac.Result call(int calls) {
    return new SippUac(uacDir).call(kamailio.peer().sipPort(), calls, 50, Duration.ofSeconds(30));
  }

  // A destination refused calls (503) and was marked inactive; its OPTIONS keepalive brings it back.
  private static void awaitActive(SippUas uas) {
    Awaitility.await(uas.sipUri() + " active in dispatcher.list").atMost(Duration.ofSeconds(10))
        .until(() -> !kamailio.peer().rpc("dispatcher.list").contains("\"URI\":\"" + uas.sipUri() + "\",\"FLAGS\":\"I"));
  }

  private static List<String> dispatcherRows() throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(kamailio.peer().jdbcUrl(), kamailio.peer().databaseUser(), "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT setid, destination, priority, attrs FROM dispatcher ORDER BY setid, priority DESC")) {
      while (rs.next()) {
        rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getInt(3) + " " + rs.getString(4));
      }
    }
    return rows;
  }

  @Test
  void shiftSendsNewInvitesToTheNewActiveRegionWithoutFailingCalls() throws Exception {
    actuator.apply(epoch, "plan-east", routed("us-east"));
    long eastBefore = east.peer().answeredCalls();
    assertThat(call(5).failed()).isZero();
    assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore + 5);

    long westBefore = west.peer().answeredCalls();
    Instant shifted;
    SippUac.Result during;
    try (SippUac.Calls running = new SippUac(uacDir).start(kamailio.peer().sipPort(), 60, 30)) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.soFar().answered() >= 20);
      shifted = Instant.now();
      actuator.apply(epoch, "plan-west", routed("us-west"));
      during = running.await(Duration.ofSeconds(30));
    }

    assertThat(during.placed()).isEqualTo(60);
    assertThat(during.failed()).as("calls failed during the shift").isZero();
    List<Instant> westAnswers = west.peer().answeredAt().subList((int) westBefore, (int) west.peer().answeredCalls());
    assertThat(westAnswers).isNotEmpty().allMatch(t -> t.isAfter(shifted));
    assertThat(east.peer().answeredAt()).filteredOn(t -> t.isAfter(shifted.plusMillis(500))).isEmpty();

    ObservedRouting seen = actuator.read();
    assertThat(seen.regionIds()).containsExactly("us-west", "us-east");
    assertThat(seen.ownerEpoch()).isEqualTo(epoch);
    assertThat(actuator.owner()).hasValueSatisfying(o -> {
      assertThat(o.epoch()).isEqualTo(epoch);
      assertThat(o.planId()).isEqualTo("plan-west");
      assertThat(o.mode()).isEqualTo("routed");
    });
    assertThat(dispatcherRows()).startsWith(
        "1 " + west.peer().sipUri() + " 2 duid=us-west;role=region;epoch=" + epoch + ";plan=plan-west",
        "1 " + east.peer().sipUri() + " 1 duid=us-east;role=region;epoch=" + epoch + ";plan=plan-west");
  }

  @Test
  void outageModeReachesTheFallbackChainInOrderAndBlocksOutboundCalls() throws Exception {
    actuator.apply(epoch, "plan-outage", new TrafficTarget.Outage());
    assertThat(actuator.read().outageMode()).isTrue();
    actuator.verify(epoch, new TrafficTarget.Outage());
    awaitActive(queue.peer());
    long queued = queue.peer().answeredCalls();
    long eastBefore = east.peer().answeredCalls();
    long westBefore = west.peer().answeredCalls();

    // The first destination answers.
    assertThat(call(5).failed()).isZero();
    assertThat(queue.peer().answeredCalls()).isEqualTo(queued + 5);

    // It refuses: the next destination of the chain takes the calls.
    queue.peer().setMode(SippUas.Mode.SERVICE_UNAVAILABLE);
    try {
      long voicemailBefore = voicemail.peer().answeredCalls();
      assertThat(call(5).failed()).isZero();
      assertThat(voicemail.peer().answeredCalls()).isEqualTo(voicemailBefore + 5);
    } finally {
      queue.peer().setMode(SippUas.Mode.OK);
    }
    awaitActive(queue.peer());
    // A number with its own chain goes straight to voicemail.
    long vipBefore = voicemail.peer().answeredCalls();
    long queuedBefore = queue.peer().answeredCalls();
    assertThat(new SippUac(uacDir).calling(VIP).call(kamailio.peer().sipPort(), 3, 50, Duration.ofSeconds(30)).failed()).isZero();
    assertThat(voicemail.peer().answeredCalls()).isEqualTo(vipBefore + 3);
    assertThat(queue.peer().answeredCalls()).isEqualTo(queuedBefore);
    assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore);
    assertThat(west.peer().answeredCalls()).isEqualTo(westBefore);

    // Outbound calling is blocked: an agent's call to a carrier number gets 403 and reaches nobody.
    String carrier = voicemail.peer().sipUri().replace("sip:uas@", "sip:+15550001111@");
    long carrierBefore = voicemail.peer().answeredCalls();
    assertThat(new SippUac(uacDir).dialing(carrier).call(kamailio.peer().sipPort(), 1, 50, Duration.ofSeconds(30)).answered()).isZero();
    assertThat(voicemail.peer().answeredCalls()).isEqualTo(carrierBefore);

    actuator.apply(epoch, "plan-recover", routed("us-east"));
    assertThat(actuator.read().outageMode()).isFalse();
    assertThat(new SippUac(uacDir).dialing(carrier).call(kamailio.peer().sipPort(), 1, 50, Duration.ofSeconds(30)).failed()).isZero();
    assertThat(voicemail.peer().answeredCalls()).isEqualTo(carrierBefore + 1);
    // Routed again, the number's own set holds the regions.
    assertThat(new SippUac(uacDir).calling(VIP).call(kamailio.peer().sipPort(), 2, 50, Duration.ofSeconds(30)).failed()).isZero();
    assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore + 2);
  }

  @Test
  void kamailioCountsTheCallsRoutedToEachRegionAndFallbackAndTheCallsThatFailed() throws Exception {
    actuator.apply(epoch, "plan-count-east", routed("us-east"));
    awaitActive(east.peer());
    CallCounts start = actuator.calls();

    assertThat(call(4).failed()).isZero();
    CallCounts routedCalls = actuator.calls().since(start);
    assertThat(routedCalls.destinations()).containsExactly(Map.entry("us-east", new CallCounts.Destination(4, 4)));
    assertThat(routedCalls.failed()).isZero();

    // Outage mode, the queue refusing: the calls reach voicemail.
    actuator.apply(epoch, "plan-count-outage", new TrafficTarget.Outage());
    awaitActive(voicemail.peer());
    CallCounts beforeOutage = actuator.calls();
    queue.peer().setMode(SippUas.Mode.SERVICE_UNAVAILABLE);
    try {
      assertThat(call(3).failed()).isZero();
      CallCounts outage = actuator.calls().since(beforeOutage);
      assertThat(outage.destinations()).containsEntry("voicemail", new CallCounts.Destination(3, 3))
          .doesNotContainKeys("us-east", "us-west");
      // The queue may have had a call before its keepalive marked it inactive; it answered none.
      assertThat(outage.destinations().getOrDefault("queue", new CallCounts.Destination(0, 0)).answered()).isZero();
      assertThat(outage.failed()).isZero();

      // Voicemail refuses too: no destination answers, each call counted as failed.
      voicemail.peer().setMode(SippUas.Mode.SERVICE_UNAVAILABLE);
      CallCounts beforeFailing = actuator.calls();
      assertThat(call(2).answered()).isZero();
      CallCounts failing = actuator.calls().since(beforeFailing);
      assertThat(failing.failed()).isEqualTo(2);
      assertThat(failing.destinations().values()).allMatch(d -> d.answered() == 0);
    } finally {
      queue.peer().setMode(SippUas.Mode.OK);
      voicemail.peer().setMode(SippUas.Mode.OK);
    }
    awaitActive(queue.peer());
    awaitActive(voicemail.peer());

    // Counters survive the reloads of a shift: re-applying changes none of them.
    CallCounts beforeShift = actuator.calls();
    actuator.apply(epoch, "plan-count-west", routed("us-west"));
    assertThat(actuator.calls()).isEqualTo(beforeShift);
    assertThat(call(2).failed()).isZero();
    assertThat(actuator.calls().since(beforeShift).destinations())
        .containsExactly(Map.entry("us-west", new CallCounts.Destination(2, 2)));
    CallCounts all = actuator.calls().since(start);
    assertThat(all.destinations()).containsEntry("us-east", new CallCounts.Destination(4, 4))
        .containsEntry("us-west", new CallCounts.Destination(2, 2));
    assertThat(all.destinations().get("voicemail").answered()).isEqualTo(3);
    assertThat(all.failed()).isEqualTo(2);
  }

  @Test
  void parallelRingingRingsTheWholeFallbackChainAtOnce() throws Exception {
    awaitActive(queue.peer());
    awaitActive(voicemail.peer());
    try (KamailioDispatcherActuator parallel =
        new KamailioDispatcherActuator(config, fallback.ringing(RingMode.PARALLEL), guard, Clock.systemUTC())) {
      parallel.apply(epoch, "plan-outage-parallel", new TrafficTarget.Outage());
      long queueInvites = queue.peer().invitesReceived();
      long voicemailInvites = voicemail.peer().invitesReceived();

      // Both destinations answer; each call rang both, and the caller got an answer.
      SippUac.Result calls = call(3);

      assertThat(calls.answered()).isEqualTo(3);
      assertThat(queue.peer().invitesReceived()).isEqualTo(queueInvites + 3);
      assertThat(voicemail.peer().invitesReceived()).isEqualTo(voicemailInvites + 3);
    }
    // Sequential again: the first destination answers and the second never rings.
    actuator.apply(epoch, "plan-outage-sequential", new TrafficTarget.Outage());
    long voicemailInvites = voicemail.peer().invitesReceived();
    long queued = queue.peer().answeredCalls();
    assertThat(call(3).failed()).isZero();
    assertThat(queue.peer().answeredCalls()).isEqualTo(queued + 3);
    assertThat(voicemail.peer().invitesReceived()).isEqualTo(voicemailInvites);
    actuator.apply(epoch, "plan-routed", routed("us-east"));
  }

  @Test
  void aRestartedKamailioServesTheLatestRoutingFromItsDatabase() throws Exception {
    actuator.apply(epoch, "plan-before-restart", routed("us-west"));

    kamailio.peer().stop();
    kamailio.peer().start();

    // Nobody re-applied anything: Kamailio loaded the rows at start.
    ObservedRouting seen = actuator.read();
    assertThat(seen.regionIds()).containsExactly("us-west", "us-east");
    assertThat(seen.ownerEpoch()).isEqualTo(epoch);
    assertThat(seen.detail()).contains("plan=plan-before-restart");
    actuator.verify(epoch, routed("us-west"));
    long westBefore = west.peer().answeredCalls();
    assertThat(call(3).failed()).isZero();
    assertThat(west.peer().answeredCalls()).isEqualTo(westBefore + 3);
  }

  @Test
  void theActuatorHasNoFileSettingAndNeverTouchesKamailiosDirectory() throws Exception {
    // Its config has no path of any kind (KamailioConfigTest pins that for every field); here an
    // apply changes what Kamailio routes by while Kamailio's directory stays exactly as it was.
    Path kamailioDir = kamailio.peer().configFile().getParent();
    Map<Path, Long> before = modified(kamailioDir);

    actuator.apply(epoch, "plan-network-only", routed("us-west"));
    actuator.apply(epoch, "plan-network-only-2", routed("us-east"));

    assertThat(actuator.read().regionIds()).containsExactly("us-east", "us-west");
    Map<Path, Long> after = modified(kamailioDir);
    after.keySet().removeIf(p -> p.getFileName().toString().equals("kamailio.log"));
    before.keySet().removeIf(p -> p.getFileName().toString().equals("kamailio.log"));
    assertThat(after).isEqualTo(before);
  }

  private static Map<Path, Long> modified(Path dir) throws Exception {
    Map<Path, Long> times = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        times.put(p, Files.getLastModifiedTime(p).toMillis());
      }
    }
    return times;
  }

  @Test
  void aStaleEpochIsRefusedByTheDatabaseCompareAndSetEvenWithoutAGuard() throws Exception {
    actuator.apply(epoch, "plan-current", routed("us-east"));
    List<String> rowsBefore = dispatcherRows();
    ObservedRouting liveBefore = actuator.read();

    try (KamailioDispatcherActuator unguarded = new KamailioDispatcherActuator(config, fallback, EpochGuard.none(), Clock.systemUTC())) {
      // A stalled leader of an older term wakes up with an old plan and no ZooKeeper check.
      assertThatThrownBy(() -> unguarded.apply(epoch - 1, "plan-stale", routed("us-west")))
          .isInstanceOfSatisfying(FencedException.class, e -> {
            assertThat(e.ownerEpoch()).isEqualTo(epoch);
            assertThat(e.callerEpoch()).isEqualTo(epoch - 1);
          });
    }

    assertThat(dispatcherRows()).isEqualTo(rowsBefore);
    assertThat(actuator.owner()).hasValueSatisfying(o -> assertThat(o.planId()).isEqualTo("plan-current"));
    ObservedRouting liveAfter = actuator.read();
    assertThat(liveAfter.regionIds()).isEqualTo(liveBefore.regionIds()).containsExactly("us-east", "us-west");
    assertThat(liveAfter.ownerEpoch()).isEqualTo(epoch);
  }

  @Test
  void aLeaderFrozenMidTransactionDoesNotHoldTheOwnerRowFromItsSuccessor() throws Exception {
    actuator.apply(epoch, "plan-before-freeze", routed("us-east"));
    // The frozen leader: a session with the actuator's own settings that took the owner row's lock
    // and then went silent, as a SIGSTOPped or GC-paused replica does between two statements.
    java.util.Properties session = new java.util.Properties();
    session.setProperty("user", kamailio.peer().databaseUser());
    session.setProperty("options", RoutingDatabase.sessionOptions(config.rpcTimeout()));
    try (Connection frozen = DriverManager.getConnection(kamailio.peer().jdbcUrl(), session)) {
      frozen.setAutoCommit(false);
      try (Statement s = frozen.createStatement()) {
        s.executeQuery("SELECT epoch FROM dialtone_owner WHERE set_id = 1 FOR UPDATE").close();
      }
      epoch++;
      setEpoch(epoch);
      // The successor's first attempts wait on the lock and time out; the server ends the frozen
      // session after the same bound, and a retry (as the plan executor makes) takes the row. Without
      // that bound the row stays locked for as long as the session lives (this wait times out).
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> {
            actuator.apply(epoch, "plan-after-freeze", routed("us-west"));
            return true;
          });
      assertThat(actuator.owner()).hasValueSatisfying(o -> {
        assertThat(o.epoch()).isEqualTo(epoch);
        assertThat(o.planId()).isEqualTo("plan-after-freeze");
      });
      assertThat(actuator.read().regionIds()).containsExactly("us-west", "us-east");
      // The frozen leader wakes to a session the server has closed: nothing it held commits.
      assertThatThrownBy(() -> {
        try (Statement s = frozen.createStatement()) {
          s.executeUpdate("UPDATE dialtone_owner SET plan_id = 'plan-frozen' WHERE set_id = 1");
        }
        frozen.commit();
      }).isInstanceOf(java.sql.SQLException.class);
    }
    assertThat(actuator.owner()).hasValueSatisfying(o -> assertThat(o.planId()).isEqualTo("plan-after-freeze"));
  }

  @Test
  void theGuardRefusesFirstAndTheDatabaseRefusesWhenTheGuardLags() throws Exception {
    actuator.apply(epoch, "plan-current", routed("us-east"));
    List<String> rowsBefore = dispatcherRows();
    int checksBefore = guardChecks.get();

    assertThatThrownBy(() -> actuator.apply(epoch - 1, "plan-stale", routed("us-west")))
        .isInstanceOfSatisfying(FencedException.class, e -> assertThat(e.ownerEpoch()).isEqualTo(epoch));
    setEpoch(epoch - 1);
    try {
      assertThatThrownBy(() -> actuator.apply(epoch - 1, "plan-stale", routed("us-west")))
          .isInstanceOfSatisfying(FencedException.class, e -> assertThat(e.ownerEpoch()).isEqualTo(epoch));
    } finally {
      setEpoch(epoch);
    }

    assertThat(guardChecks.get()).isEqualTo(checksBefore + 2);
    assertThat(dispatcherRows()).isEqualTo(rowsBefore);
  }

  @Test
  void aCallerWhoseEpochIsNotTheZnodesIsFencedEvenIfItLooksNewer() throws Exception {
    actuator.apply(epoch, "plan-current", routed("us-east"));
    List<String> rowsBefore = dispatcherRows();

    // No term at epoch + 1 was ever taken: a caller claiming it (a bug, a forged or replayed plan)
    // does not own the znode, so it must not move traffic, however new its number looks.
    assertThatThrownBy(() -> actuator.apply(epoch + 1, "plan-unowned", routed("us-west")))
        .isInstanceOfSatisfying(FencedException.class, e -> {
          assertThat(e.callerEpoch()).isEqualTo(epoch + 1);
          assertThat(e.ownerEpoch()).isEqualTo(epoch);
        });

    assertThat(dispatcherRows()).isEqualTo(rowsBefore);
    assertThat(actuator.owner()).hasValueSatisfying(o -> assertThat(o.planId()).isEqualTo("plan-current"));
  }

  @Test
  void jsonRpcWithoutTheTokenIsRefused() throws Exception {
    assertThat(kamailio.peer().rpcAs(null, "dispatcher.list").statusCode()).isEqualTo(401);
    assertThat(kamailio.peer().rpcAs("Bearer not-the-token", "dispatcher.reload").statusCode()).isEqualTo(401);

    KamailioConfig wrongToken = new KamailioConfig(null, config.rpcUrl(), Secret.of("not-the-token", "test"), config.database(), 1, null);
    try (KamailioDispatcherActuator refused = new KamailioDispatcherActuator(wrongToken, fallback, guard, Clock.systemUTC())) {
      assertThatThrownBy(refused::read).isInstanceOfSatisfying(ActuationException.class, e -> {
        assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT);
        assertThat(e.getMessage()).contains("HTTP 401").contains(config.rpcUrl()).doesNotContain("not-the-token")
            .doesNotContain(kamailio.peer().rpcToken());
      });
    }
    // The right token works.
    assertThat(actuator.read().detail()).startsWith("set 1:");
  }

  @Test
  void rpcDownIsATransientErrorNamingTheUrlAndTheSamePlanResumes() throws Exception {
    kamailio.peer().stop();
    try {
      assertThatThrownBy(() -> actuator.apply(epoch, "plan-resume", routed("us-west")))
          .isInstanceOfSatisfying(ActuationException.class, e -> {
            assertThat(e.failure()).isEqualTo(ActuationException.Failure.TRANSIENT);
            assertThat(e.getMessage()).contains(kamailio.peer().rpcUrl()).contains("dispatcher.reload");
          });
    } finally {
      kamailio.peer().start();
    }

    actuator.apply(epoch, "plan-resume", routed("us-west"));
    actuator.verify(epoch, routed("us-west"));
    long westBefore = west.peer().answeredCalls();
    assertThat(call(3).failed()).isZero();
    assertThat(west.peer().answeredCalls()).isEqualTo(westBefore + 3);
  }

  @Test
  void databaseDownIsATransientErrorNamingItAndKamailioKeepsRouting() throws Exception {
    actuator.apply(epoch, "plan-before", routed("us-east"));
    postgres.peer().stop();
    try {
      assertThatThrownBy(() -> actuator.apply(epoch, "plan-db-down", routed("us-west")))
          .isInstanceOfSatisfying(ActuationException.class, e -> {
            assertThat(e.failure()).isEqualTo(ActuationException.Failure.TRANSIENT);
            assertThat(e.getMessage()).contains("PostgreSQL at " + kamailio.peer().jdbcUrl())
                .doesNotContain(kamailio.peer().databasePassword());
          });
      // Static stability: Kamailio keeps routing by what it loaded.
      long eastBefore = east.peer().answeredCalls();
      assertThat(call(2).failed()).isZero();
      assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore + 2);
    } finally {
      postgres.peer().start();
    }

    actuator.apply(epoch, "plan-db-down", routed("us-west"));
    assertThat(actuator.read().regionIds()).containsExactly("us-west", "us-east");
  }
}
