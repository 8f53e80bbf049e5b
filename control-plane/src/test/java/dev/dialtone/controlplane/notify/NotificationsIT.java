package dev.dialtone.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.codahale.metrics.MetricRegistry;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.zookeeper.ZooKeeperEpochGuard;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.health.HealthSnapshot;
import dev.dialtone.controlplane.health.RegionHealth;
import dev.dialtone.controlplane.loop.DecisionSource;
import dev.dialtone.controlplane.model.Placement;
import dev.dialtone.controlplane.plan.StepHook;
import dev.dialtone.controlplane.policy.Decision;
import dev.dialtone.controlplane.server.Replica;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.controlplane.state.Versioned;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.notify.testing.HttpReceiverStandIn;
import dev.dialtone.peers.process.FreePorts;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replicas against a real ZooKeeper ensemble drive failovers and outages, and each configured
 * receiver gets each event exactly once, across a leader kill too. The receivers are local
 * STAND-INS (no Slack or PagerDuty is reachable here) that check every payload against the
 * service's documented schema, and GreenMail, a real SMTP server in this JVM.
 */
class NotificationsIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  static final String OUTAGE = "outage";

  final List<AutoCloseable> closeables = new ArrayList<>();
  final AtomicReference<String> want = new AtomicReference<>("us-east");
  final int smtpPort = FreePorts.tcpAndUdp();
  String deployment;
  FencingActuator carrier;
  FencingActuator dns;
  HttpReceiverStandIn pager;
  HttpReceiverStandIn chat;
  HttpReceiverStandIn hook;
  GreenMail smtp;

  /** What every replica's health view says: nothing, unless a test makes an agent silent. */
  final java.util.concurrent.atomic.AtomicReference<java.util.function.Function<Instant, HealthSnapshot>> health =
      new java.util.concurrent.atomic.AtomicReference<>(now -> new HealthSnapshot(now, Map.of()));

  /** A policy stand-in: route to {@link #want} (or enter outage mode) when the placement differs. */
  final DecisionSource script = in -> {
    Placement p = in.placement();
    String w = want.get();
    if (w.equals(OUTAGE)) {
      return p.placed() && p.outageMode() ? new Decision.NoChange("in outage mode")
          : new Decision.EnterOutage("scripted: every region's db is DOWN", Map.of("us-east.db", "DOWN", "us-west.db", "DOWN"));
    }
    if (p.placed() && !p.outageMode() && w.equals(p.activeRegion())) {
      return new Decision.NoChange("already on " + w);
    }
    String other = w.equals("us-east") ? "us-west" : "us-east";
    if (p.placed() && p.outageMode()) {
      return new Decision.LeaveOutage(w, List.of(w, other), "scripted: " + w + " is healthy again", Map.of(w + ".db", "UP"));
    }
    return new Decision.Shift(p.activeRegion(), w, List.of(w, other), "scripted: " + p.activeRegion() + "'s db is DOWN",
        Map.of(p.activeRegion() + ".db", "DOWN"));
  };

  @BeforeEach
  void setUp(TestInfo info) throws Exception {
    String name = info.getTestMethod().orElseThrow().getName().toLowerCase().replaceAll("[^a-z0-9]", "");
    deployment = "nt-" + name.substring(0, Math.min(name.length(), 30)) + "-" + Integer.toHexString(name.hashCode() & 0xfffff);
    CuratorFramework observer = zk.peer().newClient();
    observer.start();
    observer.blockUntilConnected();
    closeables.add(observer);
    ZooKeeperEpochGuard guard = new ZooKeeperEpochGuard(observer, new DeploymentPaths(deployment).epoch());
    carrier = new FencingActuator("carrier/test", guard);
    dns = new FencingActuator("dns/test", guard);
    pager = HttpReceiverStandIn.start(HttpReceiverStandIn.pagerDuty());
    chat = HttpReceiverStandIn.start(HttpReceiverStandIn.slack());
    hook = HttpReceiverStandIn.start(HttpReceiverStandIn.webhook());
    closeables.addAll(List.of(pager, chat, hook));
    smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
        .withConfiguration(GreenMailConfiguration.aConfig().withUser("oncall@example.com", "dialtone", "smtp-secret"));
    smtp.start();
    closeables.add(smtp::stop);
  }

  @AfterEach
  void tearDown() {
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already closed by the scenario
      }
    }
  }

  ControlPlaneConfig config(String replicaId, String sweepInterval) {
    Map<String, String> env = Map.of("PD_KEY", "0123456789abcdef0123456789abcdef",
        "SLACK_URL", chat.uri("/services/T0/B0/slack-secret").toString(), "HOOK_URL", hook.uri("/hooks/dialtone").toString(),
        "SMTP_PASSWORD", "smtp-secret");
    return new ControlPlaneConfigLoader(env).parse("notify-it.yaml", """
        deployment: %s
        replicaId: %s
        zookeeper: { connect: "127.0.0.1:1" }  # unused: the test hands each replica its own client
        tick: 50ms
        security: { plaintext: true }
        plans: { attemptTimeout: 2s, stepBudget: 5s, initialBackoff: 20ms, maxBackoff: 200ms }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10], sip: "sip:edge.us-east.example.com" } }
          - { id: us-west, priority: 2, edge: { a: [198.51.100.20], sip: "sip:edge.us-west.example.com" } }
        notifications:
          sweepInterval: %s
          timeout: 2s
          retry: { initialBackoff: 100ms, maxBackoff: 1s, giveUpAfter: 5m }
          receivers:
            - name: pager
              pagerduty: { routingKey: "env:PD_KEY", endpoint: "%s" }
              events: [FAILOVER, FAILBACK, OUTAGE_ENTERED, OUTAGE_LEFT]
            - { name: chat, slack: { webhookUrl: "env:SLACK_URL" } }
            - { name: hook, webhook: { url: "env:HOOK_URL" } }
            - name: mail
              email: { host: 127.0.0.1, port: %d, from: dialtone@example.com, to: [oncall@example.com],
                       username: dialtone, password: "env:SMTP_PASSWORD", startTls: false }
              minSeverity: CRITICAL
        """.formatted(deployment, replicaId, sweepInterval, pager.uri("/v2/enqueue"), smtpPort));
  }

  /** A replica and its notifications, each on its own ZooKeeper session, as separate processes would be. */
  record Running(Replica replica, NotificationService notifications, CuratorFramework client) {
    /** The process dies: its session ends with it, its senders stop. */
    void kill() {
      client.close();
      notifications.close();
      try {
        replica.close();
      } catch (RuntimeException ignored) {
        // its client is already gone
      }
    }
  }

  Running start(String id, String sweepInterval) {
    CuratorFramework client = zk.peer().newClient();
    client.start();
    closeables.add(client);
    ControlPlaneConfig config = config(id, sweepInterval);
    List<TrafficActuator> actuators = List.of(carrier, dns);
    MetricRegistry metrics = new MetricRegistry();
    Replica r = new Replica(config, new Replica.Parts(client, actuators, now -> health.get().apply(now), script,
        Clock.systemUTC(), StepHook.NONE, metrics));
    NotificationService n = NotificationService.attach(r, config.notifications(), Clock.systemUTC(), metrics);
    closeables.add(r);
    closeables.add(n);
    r.start();
    return new Running(r, n, client);
  }

  static Running leaderOf(List<Running> running) {
    await().atMost(Duration.ofSeconds(15)).until(() -> running.stream().filter(r -> r.replica().loop().epoch() > 0).count() == 1);
    return running.stream().filter(r -> r.replica().loop().epoch() > 0).findFirst().orElseThrow();
  }

  void routeAndAwait(Running any, String to) {
    want.set(to);
    await().atMost(Duration.ofSeconds(15)).until(() -> any.replica().store().placement().map(Versioned::value)
        .map(p -> to.equals(OUTAGE) ? p.outageMode() : !p.outageMode() && to.equals(p.activeRegion())).orElse(false));
  }

  /** Whether the history records that {@code receiver} was notified of {@code kind} (its mark is written by then). */
  static boolean notified(Running r, String receiver, String kind) throws Exception {
    return r.replica().store().history(500, "", "").entries().stream()
        .anyMatch(e -> e.kind() == HistoryKind.NOTIFICATION && e.summary().startsWith("notified " + receiver + " of " + kind));
  }

  static List<String> kinds(HttpReceiverStandIn receiver, String field) {
    return receiver.taken().stream().map(r -> r.body().get(field).asText()).toList();
  }

  List<String> mailKinds() {
    return Arrays.stream(smtp.getReceivedMessages()).map(NotificationsIT::subjectKind).toList();
  }

  static String subjectKind(MimeMessage m) {
    try {
      return m.getSubject().split(" ")[3].replace(":", ""); // [dialtone <deployment>] <SEVERITY> <kind>: ...
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailoverAndAnOutageReachEveryReceiverExactlyOnceAcrossALeaderKill() throws Exception {
    List<Running> running = new ArrayList<>(List.of(start("r1", "50ms"), start("r2", "50ms")));
    Running first = leaderOf(running);
    routeAndAwait(first, "us-east");

    routeAndAwait(first, "us-west");
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.taken().size() == 1);

    // The failback is decided and raised while the pager and the chat are down; the leader dies
    // before either takes it (once the receivers that were up have theirs marked: one that took it
    // as its leader died, mark unwritten, is the one repeat the design leaves), and the next leader
    // delivers it from the outbox to the two that were down, and to no one else.
    pager.down(() -> true);
    chat.down(() -> true);
    int pagerTries = pager.attempts();
    routeAndAwait(first, "us-east");
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.attempts() > pagerTries
        && notified(first, "hook", "failback") && notified(first, "mail", "failback"));
    first.kill();
    running.remove(first);
    pager.down(() -> false);
    chat.down(() -> false);
    Running next = leaderOf(running);
    await().atMost(Duration.ofSeconds(15)).until(() -> kinds(pager, "event_action").size() == 2);

    routeAndAwait(next, OUTAGE);
    routeAndAwait(next, "us-east");

    List<String> everything = List.of("leader.gained", "failover", "failback", "leader.lost", "leader.gained",
        "outage.entered", "outage.left");
    await().atMost(Duration.ofSeconds(15)).until(() -> pager.taken().size() == 4 && hook.taken().size() == everything.size()
        && chat.taken().size() == everything.size() && smtp.getReceivedMessages().length == 4);
    // Nothing more comes: each event reached each receiver once.
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> pager.taken().size() == 4
        && hook.taken().size() == everything.size() && chat.taken().size() == everything.size()
        && smtp.getReceivedMessages().length == 4);

    assertThat(kinds(pager, "event_action")).containsExactly("trigger", "resolve", "trigger", "resolve");
    List<String> keys = kinds(pager, "dedup_key");
    assertThat(keys.get(0)).isEqualTo(keys.get(1)).isEqualTo(deployment + ":active-region-down:us-east");
    assertThat(keys.get(2)).isEqualTo(keys.get(3)).isEqualTo(deployment + ":outage");
    assertThat(pager.taken().getFirst().body().get("payload").get("custom_details").get("reason").asText())
        .isEqualTo("scripted: us-east's db is DOWN");
    assertThat(kinds(hook, "kind")).containsExactlyInAnyOrderElementsOf(everything);
    assertThat(kinds(hook, "id")).doesNotHaveDuplicates();
    assertThat(hook.taken()).filteredOn(r -> r.body().get("kind").asText().equals("outage.entered")).singleElement()
        .satisfies(r -> assertThat(r.body().get("details").get("fallback").asText()).isNotBlank());
    assertThat(chat.taken()).extracting(r -> r.body().get("text").asText()).doesNotHaveDuplicates().hasSize(everything.size());
    assertThat(mailKinds()).containsExactly("failover", "failback", "outage.entered", "outage.left");
    assertThat(pager.refused()).as("every payload matched PagerDuty's schema").isEmpty();
    assertThat(chat.refused()).isEmpty();
    assertThat(hook.refused()).isEmpty();
    assertThat(next.replica().store().history(500, "", "").entries())
        .filteredOn(e -> e.kind() == HistoryKind.NOTIFICATION && e.summary().startsWith("notified pager of failback"))
        .singleElement().satisfies(e -> assertThat(e.epoch()).isEqualTo(next.replica().loop().epoch()));
  }

  @Test
  void anAgentGoneSilentIsToldOnceAcrossALeaderKill() throws Exception {
    List<Running> running = new ArrayList<>(List.of(start("r1", "50ms"), start("r2", "50ms")));
    Running first = leaderOf(running);
    routeAndAwait(first, "us-east");
    Instant lastReport = Instant.now().minusSeconds(60);
    health.set(now -> new HealthSnapshot(now, Map.of("us-east", RegionHealth.unknown("us-east", lastReport, Set.of()))));

    await().atMost(Duration.ofSeconds(15)).until(() -> kinds(hook, "kind").contains("agent.silent"));
    first.kill();
    running.remove(first);
    Running second = leaderOf(running);
    await().atMost(Duration.ofSeconds(10)).until(() -> notified(second, "hook", "leader.gained"));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> true); // a few of its sweeps
    // Delivery is at least once with a stable id (receivers dedupe on it): the in-JVM "kill" leaves
    // the old leader's dispatcher running, which may resend an event whose outbox entry it could not
    // delete. Told once means one event.
    assertThat(hook.taken().stream().filter(t -> t.body().get("kind").asText().equals("agent.silent"))
        .map(t -> t.body().get("id").asText()).distinct().toList())
        .as("the new leader sees the same silence and does not tell it again").hasSize(1);
    var silent = hook.taken().stream().filter(t -> t.body().get("kind").asText().equals("agent.silent")).findFirst().orElseThrow();
    assertThat(silent.body().get("region").asText()).isEqualTo("us-east");
    assertThat(silent.body().get("summary").asText()).contains("no report accepted since " + lastReport);
  }

  @Test
  void aLeaderKilledBeforeItRaisedTheEventLeavesItToTheNextWhichRaisesItOnce() throws Exception {
    // r1 sweeps once at the start of its term, then not for an hour: what it decides is left unraised.
    Running first = start("r1", "1h");
    await().atMost(Duration.ofSeconds(15)).until(() -> first.replica().loop().epoch() > 0);
    Running second = start("r2", "50ms");
    routeAndAwait(first, "us-east");
    routeAndAwait(first, "us-west");
    first.kill();
    leaderOf(List.of(second));
    await().atMost(Duration.ofSeconds(15)).until(() -> kinds(hook, "kind").contains("failover"));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
        .until(() -> kinds(hook, "kind").stream().filter("failover"::equals).count() == 1);
    assertThat(kinds(pager, "event_action")).containsExactly("trigger");
    assertThat(mailKinds()).containsExactly("failover");
    assertThat(kinds(hook, "kind")).containsExactlyInAnyOrder("leader.gained", "failover", "leader.lost", "leader.gained");
  }

  @Test
  void aReceiverDownFor30SecondsThenUpGetsTheBacklogInOrder() throws Exception {
    Running only = start("r1", "50ms");
    leaderOf(List.of(only));
    routeAndAwait(only, "us-east");
    await().atMost(Duration.ofSeconds(10)).until(() -> hook.taken().size() == 1); // leader.gained
    hook.down(() -> true);
    routeAndAwait(only, "us-west");
    routeAndAwait(only, "us-east");
    routeAndAwait(only, OUTAGE);
    routeAndAwait(only, "us-east");
    await().atMost(Duration.ofSeconds(10)).until(() -> pager.taken().size() == 4); // the others took theirs
    int triedWhileDown = hook.attempts();
    await().pollDelay(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(31)).until(() -> true);
    assertThat(hook.attempts()).as("retried while down").isGreaterThan(triedWhileDown);
    assertThat(hook.taken()).hasSize(1);
    hook.down(() -> false);
    await().atMost(Duration.ofSeconds(10)).until(() -> hook.taken().size() == 5);
    assertThat(kinds(hook, "kind")).containsExactly("leader.gained", "failover", "failback", "outage.entered", "outage.left");
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> hook.taken().size() == 5);
  }
}
