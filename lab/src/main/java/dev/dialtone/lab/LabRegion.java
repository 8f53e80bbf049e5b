package dev.dialtone.lab;

import dev.dialtone.testkit.Peer;
import dev.dialtone.testkit.llm.OpenAiStandIn;
import dev.dialtone.testkit.postgres.PostgresServer;
import dev.dialtone.testkit.redis.RedisServer;
import dev.dialtone.testkit.sipp.SippUas;
import dev.dialtone.testkit.toxiproxy.ToxiproxyServer;
import eu.rekawek.toxiproxy.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One lab region: its PostgreSQL, Redis, LLM endpoint (the OpenAI-compatible stand-in, because no
 * real LLM API runs here) and SIP edge (a SIPp UAS). The TCP dependencies sit behind Toxiproxy
 * proxies named {@code <region>-llm}, {@code -db} and {@code -cache}, which is where drills break them.
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
  private final List<Peer> started = new ArrayList<>();
  private int llmPort;
  private int dbPort;
  private int cachePort;

  LabRegion(String id, int index, Path dir, String llmApiKey) {
    this.id = id;
    this.index = index;
    this.postgres = new PostgresServer(dir.resolve("postgres"));
    this.redis = new RedisServer(dir.resolve("redis"));
    this.llm = new OpenAiStandIn(dir.resolve("llm"), llmApiKey);
    this.edge = new SippUas(dir.resolve("sip-edge"));
  }

  /** Starts the peers and puts the TCP ones behind Toxiproxy. */
  void start(ToxiproxyServer toxiproxy) throws Exception {
    for (Peer p : List.of(postgres, redis, llm, edge)) {
      p.start();
      started.add(p);
    }
    llmPort = listen(toxiproxy, LLM, llm.port());
    dbPort = listen(toxiproxy, DB, postgres.port());
    cachePort = listen(toxiproxy, CACHE, redis.port());
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
