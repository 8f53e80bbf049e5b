package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.zookeeper.ZooKeeperEpochGuard;
import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.loop.DecisionSource;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.plan.Plan;
import dev.dialtone.controlplane.plan.PlanState;
import dev.dialtone.controlplane.plan.PlanStep;
import dev.dialtone.controlplane.plan.StepHook;
import dev.dialtone.controlplane.policy.Decision;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.Versioned;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.controlplane.testing.RecordingActuator;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three replicas in one JVM, each with its own Curator client, against a real ZooKeeper ensemble
 * and shared test actuators that fence like the real ones.
 */
class ControlPlaneScenariosIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  @RegisterExtension
  static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);

  final List<AutoCloseable> closeables = new ArrayList<>();
  final List<RecordingActuator.Accepted> accepted = new CopyOnWriteArrayList<>();
  final AtomicReference<String> wantActive = new AtomicReference<>("us-east");
  String deployment;
  CuratorFramework observer;
  FencingActuator carrier;
  FencingActuator dns;

  /** A policy stand-in: shift to {@code wantActive} when it is not active. */
  final DecisionSource script = in -> {
    Placement p = in.placement();
    String want = wantActive.get();
    if (want.equals(p.activeRegion()) && p.placed()) {
      return new Decision.NoChange("already on " + want);
    }
    String other = want.equals("us-east") ? "us-west" : "us-east";
    return new Decision.Shift(p.activeRegion(), want, List.of(want, other), "scripted shift to " + want,
        Map.of("script", want));
  };

  DecisionSource decisions = script;

  @BeforeEach
  void setUp(TestInfo info) throws Exception {
    String name = info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
    deployment = "it-" + name.substring(0, Math.min(name.length(), 40)) + "-" + Integer.toHexString(name.hashCode() & 0xfffff);
    observer = zk.peer().newClient();
    observer.start();
    observer.blockUntilConnected();
    closeables.add(observer);
    ZooKeeperEpochGuard guard = new ZooKeeperEpochGuard(observer, new DeploymentPaths(deployment).epoch());
    carrier = new FencingActuator("carrier/test", guard);
    dns = new FencingActuator("dns/test", guard);
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (RuntimeException ignored) {
        // already closed by the scenario
      }
    }
  }

  ControlPlaneConfig config(String replicaId) {
    return new ControlPlaneConfigLoader().parse("it.yaml", """
        deployment: %s
        replicaId: %s
        zookeeper: { connect: "127.0.0.1:1" }  # unused: the test hands each replica its own client
        tick: 50ms
        security: { plaintext: true }
        plans: { attemptTimeout: 2s, stepBudget: 5s, initialBackoff: 20ms, maxBackoff: 200ms }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com" } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com" } }
        """.formatted(deployment, replicaId));
  }

  Replica replica(String id, CuratorFramework client, StepHook hook) {
    client.start();
    closeables.add(client);
    List<TrafficActuator> actuators = List.of(
        new RecordingActuator(id, carrier, accepted), new RecordingActuator(id, dns, accepted));
    Replica r = new Replica(config(id), new Replica.Parts(client, actuators,
        now -> new HealthSnapshot(now, Map.of()), decisions, Clock.systemUTC(), hook, new MetricRegistry()));
    closeables.add(r);
    r.start();
    return r;
  }

  Replica replica(String id) {
    return replica(id, zk.peer().newClient(), StepHook.NONE);
  }

  static Replica leaderOf(List<Replica> replicas) {
    await().atMost(Duration.ofSeconds(15)).until(() -> replicas.stream().filter(r -> r.loop().epoch() > 0).count() == 1);
    return replicas.stream().filter(r -> r.loop().epoch() > 0).findFirst().orElseThrow();
  }

  Optional<Placement> placement(Replica r) throws Exception {
    return r.store().placement().map(Versioned::value);
  }

  /** Blocks the executor thread before the DNS step until released, ignoring interrupts like a stalled thread. */
  static final class StallBeforeDns implements StepHook {
    final CountDownLatch reached = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean armed;

    @Override
    public void beforeStep(Plan plan, PlanStep step) {
      if (!armed || !step.actuator().startsWith("dns")) {
        return;
      }
      armed = false;
      reached.countDown();
      while (true) {
        try {
          release.await();
          break;
        } catch (InterruptedException ignored) {
          // a stalled thread does not notice
        }
      }
      Thread.interrupted();
    }
  }

  @Test
  void leaderKilledMidPlanAnotherTakesOverAndFinishesThePlan() throws Exception {
    StallBeforeDns stall = new StallBeforeDns();
    CuratorFramework firstClient = zk.peer().newClient();
    Replica first = replica("r1", firstClient, stall);
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(first).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    Replica second = replica("r2");
    Replica third = replica("r3");
    long firstEpoch = first.loop().epoch();

    stall.armed = true;
    wantActive.set("us-west");
    assertThat(stall.reached.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    // The carrier step runs beside the stalled DNS step, so it completes on its own.
    await().atMost(Duration.ofSeconds(5)).until(() -> carrier.routing().equals("us-west > us-east"));
    assertThat(dns.routing()).isEqualTo("us-east > us-west");
    String planId = first.store().plan().orElseThrow().id();

    kill(first, firstClient); // the process dies: its session ends with it

    Replica next = leaderOf(List.of(second, third));
    await().atMost(Duration.ofSeconds(10)).until(() -> placement(next).map(p -> p.activeRegion().equals("us-west")).orElse(false));
    Plan finished = next.store().plan().orElseThrow();
    assertThat(finished.id()).isEqualTo(planId);
    assertThat(finished.state()).isEqualTo(PlanState.SUCCEEDED);
    assertThat(finished.epoch()).isGreaterThan(firstEpoch);
    assertThat(dns.routing()).isEqualTo("us-west > us-east");
    assertThat(dns.ownerEpoch()).isEqualTo(finished.epoch());
    assertThat(next.store().history(100, "", planId).entries()).extracting(HistoryEntry::summary)
        .anyMatch(s -> s.startsWith("resume plan " + planId));
    stall.release.countDown();
    assertNoTwoReplicasActuatedInOneEpoch();
  }

  @Test
  void aNewLeaderTakesEveryActuatorOverAtTakeoverNotAtItsFirstShift() throws Exception {
    CuratorFramework firstClient = zk.peer().newClient();
    Replica first = replica("r1", firstClient, StepHook.NONE);
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(first).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    long firstEpoch = first.loop().epoch();
    Replica second = replica("r2");
    assertThat(dns.ownerEpoch()).isEqualTo(firstEpoch);

    kill(first, firstClient);

    await().atMost(Duration.ofSeconds(15)).until(() -> second.loop().epoch() > firstEpoch);
    long secondEpoch = second.loop().epoch();
    // Nothing asks for a shift (the script still wants us-east), yet both actuators move to the new epoch.
    await().atMost(Duration.ofSeconds(10)).until(() -> dns.ownerEpoch() == secondEpoch && carrier.ownerEpoch() == secondEpoch);
    assertThat(dns.routing()).isEqualTo("us-east > us-west");
    assertThat(carrier.routing()).isEqualTo("us-east > us-west");
    // So a write the dead leader still had in flight is refused from the takeover on.
    var target = dev.dialtone.controlplane.loop.ControlLoop.target(List.of("us-west", "us-east"), second.store().regions());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dns.apply(firstEpoch, "stale", target))
        .isInstanceOf(dev.dialtone.actuation.FencedException.class);
    Placement committed = placement(second).orElseThrow();
    assertThat(committed.epoch()).isEqualTo(secondEpoch);
    assertThat(committed.lastShiftAt()).as("a claim is no shift: it starts no hold-down").isNull();
    assertThat(second.store().history(100, "", "").entries()).extracting(HistoryEntry::summary)
        .anyMatch(s -> s.startsWith("claim actuators: "));
    assertNoTwoReplicasActuatedInOneEpoch();
  }

  @Test
  void stalledLeaderWakesAfterANewLeaderShiftedAndFindsEveryActuatorAndStateWriteClosed() throws Exception {
    StallBeforeDns stall = new StallBeforeDns();
    CuratorFramework stalledClient = zk.peer().newClient();
    Replica stalled = replica("r1", stalledClient, stall);
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(stalled).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    Replica other = replica("r2");
    long staleEpoch = stalled.loop().epoch();

    stall.armed = true;
    wantActive.set("us-west");
    assertThat(stall.reached.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String stalePlan = stalled.store().plan().orElseThrow().id();

    // The stall outlives the session (a GC pause or SIGSTOP longer than the session timeout).
    stalledClient.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    await().atMost(Duration.ofSeconds(15)).until(() -> other.loop().epoch() > staleEpoch);
    long newEpoch = other.loop().epoch();
    await().atMost(Duration.ofSeconds(10)).until(() -> placement(other).map(p -> p.activeRegion().equals("us-west") && p.epoch() == newEpoch).orElse(false));
    wantActive.set("us-east"); // the new leader moves traffic on, so the stale plan would be a regression
    await().atMost(Duration.ofSeconds(10)).until(() -> placement(other).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    int acceptedBefore = accepted.size();
    long dnsCallsBefore = dns.calls();

    stall.release.countDown(); // the stalled leader wakes holding its old plan, straight into the DNS step

    await().atMost(Duration.ofSeconds(10)).until(() -> dns.calls() > dnsCallsBefore);
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
    assertThat(accepted.subList(acceptedBefore, accepted.size())).noneMatch(a -> a.epoch() == staleEpoch);
    assertThat(accepted).filteredOn(a -> a.planId().equals(stalePlan) && a.epoch() == staleEpoch && a.actuator().startsWith("dns")).isEmpty();
    assertThat(dns.routing()).isEqualTo("us-east > us-west");
    assertThat(carrier.routing()).isEqualTo("us-east > us-west");
    assertThat(placement(other).orElseThrow().activeRegion()).isEqualTo("us-east");
    Plan inZooKeeper = other.store().plan().orElseThrow();
    assertThat(inZooKeeper.epoch()).isGreaterThanOrEqualTo(newEpoch);
    assertThat(other.store().history(500, "", "").entries()).noneMatch(e -> e.epoch() == staleEpoch && e.planId().equals(stalePlan)
        && e.kind() == HistoryKind.PLAN_STEP && e.summary().startsWith("apply dns"));
    // And the epoch-checked state store refuses the stale epoch outright.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.store().record(staleEpoch,
            HistoryEntry.of(Instant.now(), HistoryKind.DECISION, staleEpoch, stalePlan, "stale", "stale", "stale", Map.of())))
        .isInstanceOf(dev.dialtone.controlplane.state.StaleEpochException.class);
    assertNoTwoReplicasActuatedInOneEpoch();
  }

  @Test
  void leaderCutOffFromZooKeeperStopsActingBeforeItsSessionCanExpireAndTheNewLeaderActs() throws Exception {
    List<Proxy> proxies = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    for (var server : zk.peer().servers()) {
      Proxy p = toxiproxy.peer().proxy(deployment + "-zk" + server.getPort(), "127.0.0.1:" + server.getPort());
      proxies.add(p);
      hosts.add("127.0.0.1:" + ToxiproxyServer.listenPort(p));
    }
    Duration session = Duration.ofSeconds(4);
    CuratorFramework cutClient = CuratorFrameworkFactory.builder().connectString(String.join(",", hosts))
        .sessionTimeoutMs((int) session.toMillis()).connectionTimeoutMs(2_000)
        .retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
    Replica cut = replica("r1", cutClient, StepHook.NONE);
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(cut).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    Replica other = replica("r2");
    long cutEpoch = cut.loop().epoch();

    Instant cutAt = Instant.now();
    for (Proxy p : proxies) {
      p.toxics().timeout("blackhole-down", ToxicDirection.DOWNSTREAM, 0);
      p.toxics().timeout("blackhole-up", ToxicDirection.UPSTREAM, 0);
    }
    await().atMost(session).until(() -> !cut.leadership().isLeaderAt(cutEpoch));
    Instant stoppedAt = Instant.now();
    assertThat(other.loop().epoch()).as("nobody else leads before the cut-off leader stopped").isZero();

    await().atMost(Duration.ofSeconds(20)).until(() -> other.loop().epoch() > cutEpoch);
    wantActive.set("us-west");
    await().atMost(Duration.ofSeconds(10)).until(() -> dns.routing().equals("us-west > us-east"));
    assertThat(Duration.between(cutAt, stoppedAt)).isLessThan(session);
    assertThat(accepted).filteredOn(a -> a.replica().equals("r1")).allMatch(a -> a.epoch() == cutEpoch);
    assertThat(accepted).filteredOn(a -> a.replica().equals("r1") && a.planId().contains("-")).noneMatch(a -> a.epoch() > cutEpoch);
    for (Proxy p : proxies) {
      p.delete();
    }
    assertNoTwoReplicasActuatedInOneEpoch();
  }

  @Test
  void repeatedLeaderKillsNeverLetTwoReplicasActuateInOneEpochAndEveryDecisionIsInTheHistory() throws Exception {
    List<Replica> alive = new ArrayList<>();
    Map<Replica, CuratorFramework> clients = new HashMap<>();
    int next = 1;
    for (; next <= 3; next++) {
      CuratorFramework c = zk.peer().newClient();
      Replica r = replica("r" + next, c, StepHook.NONE);
      alive.add(r);
      clients.put(r, c);
    }
    for (int round = 0; round < 6; round++) {
      Replica leader = leaderOf(alive);
      String want = round % 2 == 0 ? "us-west" : "us-east";
      wantActive.set(want);
      await().atMost(Duration.ofSeconds(15)).until(() -> placement(leader).map(p -> want.equals(p.activeRegion())).orElse(false));
      if (round % 2 == 0) {
        clients.get(leader).getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration(); // crash
        kill(leader, clients.get(leader));
      } else {
        kill(leader, clients.get(leader)); // process gone
      }
      alive.remove(leader);
      CuratorFramework c = zk.peer().newClient();
      Replica fresh = replica("r" + next++, c, StepHook.NONE);
      alive.add(fresh);
      clients.put(fresh, c);
    }
    Replica last = leaderOf(alive);
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(last).isPresent());

    assertNoTwoReplicasActuatedInOneEpoch();
    Set<String> decided = last.store().history(1000, "", "").entries().stream()
        .filter(e -> e.kind() == HistoryKind.DECISION).map(HistoryEntry::planId).collect(Collectors.toSet());
    Set<String> actuated = accepted.stream().map(RecordingActuator.Accepted::planId).collect(Collectors.toCollection(HashSet::new));
    assertThat(decided).containsAll(actuated);
    assertThat(actuated).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void aNewLeaderRollsBackAPlanInFlightThatRoutesToARegionNoLongerRoutable() throws Exception {
    Replica first = replica("r1");
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(first).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    first.close();
    // A leader at a later epoch wrote a plan to us-west, then died before running it; meanwhile
    // us-west was taken out of rotation.
    var paths = new DeploymentPaths(deployment);
    var store = new dev.dialtone.controlplane.state.ZooKeeperStateStore(observer, paths,
        dev.dialtone.controlplane.state.StateJson.mapper(), 100);
    long dead = new dev.dialtone.controlplane.leadership.EpochCounter(observer, paths.epoch()).next().epoch();
    var regions = store.regions();
    store.putRegion(dead, regions.get("us-west").withLifecycle(dev.dialtone.controlplane.model.Lifecycle.DRAINING, Instant.now()));
    Plan orphan = Plan.create("orphan-1", dead, new dev.dialtone.actuation.TrafficTarget.Routed(
        List.of(regions.get("us-west").edge(), regions.get("us-east").edge())), "scripted", "policy", true,
        List.of("carrier/test", "dns/test"), Instant.now()).withState(PlanState.RUNNING);
    store.savePlan(dead, orphan);

    Replica second = replica("r2");

    await().atMost(Duration.ofSeconds(15)).until(() -> second.store().history(200, "", "orphan-1").entries().stream()
        .anyMatch(e -> e.summary().startsWith("roll back plan orphan-1")));
    await().atMost(Duration.ofSeconds(10)).until(() -> second.store().plan().map(p -> p.state() == PlanState.SUCCEEDED
        && !p.id().equals("orphan-1")).orElse(false));
    assertThat(accepted).noneMatch(a -> a.planId().equals("orphan-1"));
    assertThat(dns.routing()).as("us-west is draining: it leaves every routing").isEqualTo("us-east");
    assertThat(placement(second).orElseThrow().activeRegion()).isEqualTo("us-east");
  }

  @Test
  void whileZooKeeperHasNoQuorumNothingMovesAndALeaderActsOnceItIsBack() throws Exception {
    Replica first = replica("r1");
    Replica second = replica("r2");
    Replica leader = leaderOf(List.of(first, second));
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(leader).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    int writesBefore = accepted.size();
    var servers = zk.peer().servers();

    zk.peer().kill(servers.get(0));
    zk.peer().kill(servers.get(1));
    await().atMost(Duration.ofSeconds(10)).until(() -> first.loop().epoch() == 0 && second.loop().epoch() == 0);
    wantActive.set("us-west"); // the "policy" now wants a shift, but nobody may act
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> accepted.size() == writesBefore);
    assertThat(dns.routing()).as("static stability: the last routing stays").isEqualTo("us-east > us-west");

    zk.peer().restart(servers.get(0));
    zk.peer().restart(servers.get(1));
    await().atMost(Duration.ofSeconds(30)).until(() -> dns.routing().equals("us-west > us-east"));
    assertNoTwoReplicasActuatedInOneEpoch();
  }

  @Test
  void aPlanThatFailsPermanentlyIsNotRetriedEveryTickButHeldForAnOperator() throws Exception {
    Replica leader = replica("r1");
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(leader).map(p -> p.activeRegion().equals("us-east")).orElse(false));
    carrier.failNext(dev.dialtone.actuation.ActuationException.Failure.PERMANENT);

    wantActive.set("us-west");

    await().atMost(Duration.ofSeconds(10)).until(() -> leader.store().plan().map(p -> p.state() == PlanState.FAILED).orElse(false));
    int calls = carrier.calls();
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> carrier.calls() == calls);
    assertThat(leader.store().history(100, "", "").entries()).extracting(HistoryEntry::summary)
        .anyMatch(s -> s.startsWith("HoldStill: plan ") && s.contains("automatic retries are held"));
    assertThat(placement(leader).orElseThrow().activeRegion()).isEqualTo("us-east");
  }

  @Test
  void lifecyclePromotionsFromThePolicyAreAppliedAndRecorded() throws Exception {
    decisions = new DecisionSource() {
      @Override public Decision decide(dev.dialtone.controlplane.policy.PolicyInput in) { return script.decide(in); }

      @Override public List<dev.dialtone.controlplane.policy.LifecycleChange> lifecycleChanges(dev.dialtone.controlplane.policy.PolicyInput in) {
        return in.regions().values().stream()
            .filter(r -> r.lifecycle() == dev.dialtone.controlplane.model.Lifecycle.PROVISIONING)
            .map(r -> new dev.dialtone.controlplane.policy.LifecycleChange(r.id(), r.lifecycle(),
                dev.dialtone.controlplane.model.Lifecycle.STANDBY, "healthy for 5m"))
            .toList();
      }
    };
    Replica leader = replica("r1");
    await().atMost(Duration.ofSeconds(15)).until(() -> placement(leader).isPresent());
    long epoch = leader.loop().epoch();
    leader.store().putRegion(epoch, new dev.dialtone.controlplane.model.RegionSpec("eu-west", 3,
        new dev.dialtone.actuation.RegionEdge("eu-west", List.of("192.0.2.30"), List.of(), null, null),
        dev.dialtone.controlplane.model.Lifecycle.PROVISIONING, Instant.now()));

    await().atMost(Duration.ofSeconds(10)).until(() -> leader.store().regions().get("eu-west").lifecycle()
        == dev.dialtone.controlplane.model.Lifecycle.STANDBY);
    assertThat(leader.store().history(100, "", "").entries()).anyMatch(e -> e.kind() == HistoryKind.REGION
        && e.summary().equals("eu-west: PROVISIONING -> STANDBY") && e.reason().equals("healthy for 5m"));
  }

  /** The process dies: its session is closed and its threads stop (a stalled thread stays stalled). */
  static void kill(Replica replica, CuratorFramework client) {
    client.close();
    try {
      replica.close();
    } catch (RuntimeException ignored) {
      // its client is already gone
    }
  }

  void assertNoTwoReplicasActuatedInOneEpoch() {
    Map<Long, Set<String>> byEpoch = accepted.stream().collect(Collectors.groupingBy(
        RecordingActuator.Accepted::epoch, Collectors.mapping(RecordingActuator.Accepted::replica, Collectors.toSet())));
    assertThat(byEpoch).allSatisfy((epoch, replicas) -> assertThat(replicas).as("epoch %d", epoch).hasSize(1));
  }
}
