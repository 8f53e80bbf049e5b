package dev.dialtone.lab;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.llm.OpenAiStandIn;
import dev.dialtone.peers.netns.NetworkNamespace;
import dev.dialtone.peers.postgres.PostgresServer;
import dev.dialtone.peers.redis.RedisServer;
import dev.dialtone.peers.sipp.SippUas;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import eu.rekawek.toxiproxy.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One lab region: its PostgreSQL, Redis, LLM endpoint (the OpenAI-compatible stand-in, because no
 * real LLM API runs here) and SIP edge (a SIPp UAS). The TCP dependencies sit behind Toxiproxy
 * proxies named {@code <region>-llm}, {@code -db} and {@code -cache}; the SIP edge runs in its own
 * network namespace when the machine allows, its UDP path {@code <region>-carrier} broken by
 * nftables rules there. That is where drills break them.
 */
public final class LabRegion implements AutoCloseable {
  /** Dependency names, as the agent's probes and the drills' {@code target.dependency} call them. */
  public static final String LLM = "llm";
  public static final String DB = "db";
  public static final String CACHE = "cache";
  public static final String CARRIER = "carrier";

  private final String id;
  private final int index;
  private final PostgresServer postgres;
  private final RedisServer redis;
  private final OpenAiStandIn llm;
  private final SippUas edge;
  private final Optional<NetworkNamespace> namespace;
  private final List<AutoCloseable> started = new ArrayList<>();
  private int llmPort;
  private int dbPort;
  private int cachePort;

  /**
   * @param postgresTemplate the cluster the region's PostgreSQL copies (see {@link PostgresServer#createTemplate})
   * @param namespace where the SIP edge runs, so drills can break its UDP path with packet filters;
   *     empty puts it on loopback (no UDP faults)
   */
  LabRegion(String id, int index, Path dir, Path postgresDir, Path postgresTemplate, String llmApiKey,
      Optional<NetworkNamespace> namespace) {
    this.id = id;
    this.index = index;
    this.namespace = namespace;
    namespace.ifPresent(started::add); // closed last, after the edge inside it
    this.postgres = new PostgresServer(postgresDir, postgresTemplate);
    this.redis = new RedisServer(dir.resolve("redis"));
    this.llm = new OpenAiStandIn(dir.resolve("llm"), llmApiKey);
    this.edge = namespace.map(ns -> SippUas.inNamespace(dir.resolve("sip-edge"), ns))
        .orElseGet(() -> new SippUas(dir.resolve("sip-edge")));
  }

  /**
   * Puts the TCP peers behind Toxiproxy (their ports are known before they start); with a
   * namespace, the SIP edge's UDP path {@code <region>-carrier} is named in the replicas' files for
   * the packet-filter lever.
   */
  void expose(ToxiproxyServer toxiproxy) {
    llmPort = listen(toxiproxy, LLM, llm.port());
    dbPort = listen(toxiproxy, DB, postgres.port());
    cachePort = listen(toxiproxy, CACHE, redis.port());
  }

  /** Starts the region's peers. */
  void start() throws Exception {
    for (Peer p : List.of(postgres, redis, llm, edge)) {
      p.start();
      started.add(p);
    }
  }

  /** The edge's network namespace, if it has one. */
  Optional<String> namespaceName() {
    return namespace.map(NetworkNamespace::name);
  }

  /** The host end of the edge's namespace, where Kamailio must listen to reach it. */
  Optional<String> hostAddress() {
    return namespace.map(NetworkNamespace::hostAddress);
  }

  /**
   * Drops every packet to the SIP edge (rules tagged {@code tag} in its namespace), as if the
   * region's edge had gone: calls and the carrier's OPTIONS both go unanswered.
   *
   * @throws IllegalStateException if the edge runs on loopback (this machine allows no namespaces)
   */
  public void blackholeEdge(String tag) {
    edgeNamespace().blackhole(protocol(), edge.port(), tag);
  }

  /** Removes what {@link #blackholeEdge} added under {@code tag}; returns how many rules. Idempotent. */
  public int healEdge(String tag) {
    return namespace.map(ns -> ns.heal(tag)).orElse(0);
  }

  private NetworkNamespace edgeNamespace() {
    return namespace.orElseThrow(() -> new IllegalStateException(
        "region " + id + "'s SIP edge runs on loopback (no network namespaces here), so its packets cannot be dropped"));
  }

  private NetworkNamespace.Protocol protocol() {
    return edge.transport() == SippUas.Transport.TCP ? NetworkNamespace.Protocol.TCP : NetworkNamespace.Protocol.UDP;
  }

  private int listen(ToxiproxyServer toxiproxy, String dependency, int upstream) {
    Proxy proxy = toxiproxy.proxy(proxyName(dependency), "127.0.0.1:" + upstream);
    return ToxiproxyServer.listenPort(proxy);
  }

  public String id() {
    return id;
  }

  /** The Toxiproxy proxy in front of a dependency: the chaos module's naming rule. */
  public String proxyName(String dependency) {
    return id + "-" + dependency;
  }

  /** The address published in DNS for this region (loopback, distinct per region; nothing listens on it). */
  public String publicAddress() {
    return "127.0." + (index + 1) + ".1";
  }

  public String llmBaseUrl() {
    return "http://127.0.0.1:" + llmPort;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres";
  }

  public String redisUri() {
    return "redis://127.0.0.1:" + cachePort;
  }

  public SippUas edge() {
    return edge;
  }

  public OpenAiStandIn llm() {
    return llm;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        // keep closing the others; each peer's log says what went wrong
      }
    }
    started.clear();
  }
}
