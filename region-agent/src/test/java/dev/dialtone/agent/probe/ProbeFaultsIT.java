package dev.dialtone.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.agent.probe.llm.LlmProbe;
import dev.dialtone.agent.probe.postgres.PostgresProbe;
import dev.dialtone.agent.probe.redis.RedisProbe;
import dev.dialtone.agent.probe.sip.SipOptionsProbe;
import dev.dialtone.agent.probe.sip.SipUri;
import dev.dialtone.agent.time.Ticker;
import dev.dialtone.proto.v1.DependencyKind;
import dev.dialtone.proto.v1.FailureCause;
import dev.dialtone.proto.v1.HealthStatus;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.peers.llm.OpenAiStandIn;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.redis.RedisServer;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults injected with Toxiproxy on the TCP paths to the real LLM stand-in, PostgreSQL, Redis and
 * a SIPp UAS over TCP.
 */
class ProbeFaultsIT {
  @RegisterExtension static final PeerExtension<ToxiproxyServer> toxiproxy = PeerExtension.of(ToxiproxyServer::new);
  @RegisterExtension static final PeerExtension<RedisServer> redis = PeerExtension.of(RedisServer::new);
  @RegisterExtension static final PeerExtension<PostgresServer> pg = PeerExtension.of(PostgresServer::new);
  @RegisterExtension static final PeerExtension<OpenAiStandIn> llm = PeerExtension.of(OpenAiStandIn::new);
  @RegisterExtension static final PeerExtension<SippUas> sip = PeerExtension.of(dir -> new SippUas(dir, SippUas.Transport.TCP));
  private static final List<String> NAMES = List.of("llm", "db", "cache", "carrier");

  private static final Duration INTERVAL = Duration.ofMillis(500);
  private static final Duration TIMEOUT = Duration.ofMillis(300);
  private static final Duration SLOW = Duration.ofMillis(150);

  private static Proxy llmProxy;
  private static Proxy pgProxy;
  private static Proxy redisProxy;
  private static Proxy sipProxy;
  private static final Map<String, Proxy> proxies = new ConcurrentHashMap<>();
  private static ScheduledThreadPoolExecutor timer;
  private static ExecutorService attempts;
  private static ProbeScheduler scheduler;
  private static final Map<String, List<Observed>> seen = new ConcurrentHashMap<>();

  record Observed(ProbeState state, long atNanos) {}

  @BeforeAll
  static void startProbes() {
    llmProxy = toxiproxy.peer().proxy("llm", "127.0.0.1:" + llm.peer().port());
    pgProxy = toxiproxy.peer().proxy("pg", "127.0.0.1:" + pg.peer().port());
    redisProxy = toxiproxy.peer().proxy("redis", "127.0.0.1:" + redis.peer().port());
    sipProxy = toxiproxy.peer().proxy("sip", "127.0.0.1:" + sip.peer().port());
    proxies.putAll(Map.of("llm", llmProxy, "db", pgProxy, "cache", redisProxy, "carrier", sipProxy));
    String pgUrl = pg.peer().jdbcUrl().replace(":" + pg.peer().port() + "/", ":" + ToxiproxyServer.listenPort(pgProxy) + "/");
    timer = new ScheduledThreadPoolExecutor(2);
    attempts = Executors.newVirtualThreadPerTaskExecutor();
    scheduler = new ProbeScheduler("test",
        List.of(
            scheduled("llm", DependencyKind.DEPENDENCY_KIND_LLM, new LlmProbe(
                URI.create("http://127.0.0.1:" + ToxiproxyServer.listenPort(llmProxy)), LlmProbe.Mode.MODELS, "m",
                llm.peer().apiKey(), TIMEOUT, Ticker.system())),
            scheduled("db", DependencyKind.DEPENDENCY_KIND_DB, new PostgresProbe(pgUrl, PostgresServer.USER, null, null)),
            scheduled("cache", DependencyKind.DEPENDENCY_KIND_CACHE, new RedisProbe(
                java.net.URI.create("redis://127.0.0.1:" + ToxiproxyServer.listenPort(redisProxy)), null, null, Duration.ofSeconds(5))),
            scheduled("carrier", DependencyKind.DEPENDENCY_KIND_CARRIER, new SipOptionsProbe(
                SipUri.parse("sip:uas@127.0.0.1:" + ToxiproxyServer.listenPort(sipProxy) + ";transport=tcp"),
                Ticker.system(), new SplittableRandom()))),
        timer, attempts, Clock.systemUTC(), Ticker.system(),
        (state, changed) -> seen.computeIfAbsent(state.spec().name(), k -> new CopyOnWriteArrayList<>())
            .add(new Observed(state, System.nanoTime())));
    scheduler.start();
  }

  private static ProbeScheduler.ScheduledProbe scheduled(String name, DependencyKind kind, Probe probe) {
    return new ProbeScheduler.ScheduledProbe(
        new ProbeSpec(name, kind, true, INTERVAL, TIMEOUT, SLOW, 1, 1, null, name), probe);
  }

  @AfterAll
  static void stopProbes() {
    scheduler.close();
    timer.shutdownNow();
    attempts.shutdownNow();
  }

  @AfterEach
  void removeToxics() throws Exception {
    for (Proxy p : proxies.values()) {
      for (var toxic : p.toxics().getAll()) {
        toxic.remove();
      }
    }
    awaitAll(HealthStatus.HEALTH_STATUS_UP, Duration.ofSeconds(10));
  }

  private static ProbeResult last(String name) {
    List<Observed> list = seen.get(name);
    return list == null || list.isEmpty() ? null : list.get(list.size() - 1).state().last();
  }

  private static void awaitAll(HealthStatus status, Duration within) {
    await().atMost(within).until(() -> NAMES.stream()
        .allMatch(n -> last(n) != null && last(n).status() == status));
  }

  @Test
  void everyProbeIsUpThroughTheProxies() {
    awaitAll(HealthStatus.HEALTH_STATUS_UP, Duration.ofSeconds(10));
  }

  @Test
  void aLatencyToxicAboveTheThresholdMakesEveryProbeDegradedSlow() throws Exception {
    awaitAll(HealthStatus.HEALTH_STATUS_UP, Duration.ofSeconds(10));
    for (Proxy p : proxies.values()) {
      p.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 200);
    }
    awaitAll(HealthStatus.HEALTH_STATUS_DEGRADED, Duration.ofSeconds(5));
    for (String name : NAMES) {
      assertThat(last(name).cause()).as(name).isEqualTo(FailureCause.FAILURE_CAUSE_SLOW);
      assertThat(last(name).latency()).as(name).isGreaterThan(SLOW);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"llm", "db", "cache", "carrier"})
  void aTimeoutToxicIsDownWithinTimeoutPlusMarginWhileTheOthersKeepReportingOnTime(String target) throws Exception {
    awaitAll(HealthStatus.HEALTH_STATUS_UP, Duration.ofSeconds(10));
    List<String> others = NAMES.stream().filter(n -> !n.equals(target)).toList();
    Map<String, Integer> before = new ConcurrentHashMap<>();
    others.forEach(n -> before.put(n, seen.get(n).size()));
    long injectedAt = System.nanoTime();
    proxies.get(target).toxics().timeout("blackhole", ToxicDirection.DOWNSTREAM, 0);

    // The next round starts within one interval and is abandoned at its timeout.
    await().atMost(INTERVAL.plus(TIMEOUT).plusMillis(300))
        .until(() -> last(target).status() == HealthStatus.HEALTH_STATUS_DOWN);
    assertThat(last(target).cause()).isEqualTo(FailureCause.FAILURE_CAUSE_TIMEOUT);
    Observed down = seen.get(target).get(seen.get(target).size() - 1);
    assertThat(down.state().verdict()).isEqualTo(HealthStatus.HEALTH_STATUS_DOWN);
    assertThat(Duration.ofNanos(down.atNanos() - injectedAt)).isLessThan(INTERVAL.plus(TIMEOUT).plusMillis(200));

    // Four more rounds while the target is black-holed: the other probes stay UP and on time.
    await().atMost(INTERVAL.multipliedBy(6)).until(() -> others.stream().allMatch(n -> seen.get(n).size() >= before.get(n) + 4));
    for (String name : others) {
      List<Observed> during = seen.get(name).subList(before.get(name), seen.get(name).size());
      for (int i = 1; i < during.size(); i++) {
        assertThat(Duration.ofNanos(during.get(i).atNanos() - during.get(i - 1).atNanos()))
            .as(name + " gap").isLessThan(INTERVAL.plusMillis(200));
      }
      assertThat(during).as(name).allMatch(o -> o.state().last().status() == HealthStatus.HEALTH_STATUS_UP);
    }
  }
}
