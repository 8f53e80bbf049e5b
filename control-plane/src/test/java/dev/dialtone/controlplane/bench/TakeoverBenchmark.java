package dev.dialtone.controlplane.bench;

import dev.dialtone.controlplane.leadership.CuratorLeadership;
import dev.dialtone.controlplane.leadership.LeadershipListener;
import dev.dialtone.controlplane.state.DeploymentPaths;
import dev.dialtone.peers.toxiproxy.ToxiproxyServer;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Leader takeover time on a real three-node ZooKeeper ensemble: from the leader's end to another
 * replica holding leadership at a new epoch (when its control loop starts acting). Two cases:
 * clean close (leadership handed over) and crash (the leader's process stops answering without
 * closing its session: its ZooKeeper traffic is black-holed through Toxiproxy, so the ensemble
 * must expire the session). Prints figures beside the negotiated session timeout.
 *
 * <p>Run: {@code ./mvnw -B -o -q -pl control-plane test-compile exec:exec -Dexec.executable=java
 * -Dexec.classpathScope=test -Dexec.args="-classpath %classpath dev.dialtone.controlplane.bench.TakeoverBenchmark"}
 */
public final class TakeoverBenchmark {
  private static final int ROUNDS = 5;
  private static final int SESSION_MS = 3_000;

  record Gain(String replica, long epoch, long atNanos) {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("takeover-bench");
    try (ZooKeeperEnsemble zk = new ZooKeeperEnsemble(dir.resolve("zk")); ToxiproxyServer toxiproxy = new ToxiproxyServer(dir)) {
      zk.start();
      toxiproxy.start();
      List<Double> clean = new ArrayList<>();
      List<Double> crash = new ArrayList<>();
      int negotiated = 0;
      for (int round = 0; round < ROUNDS; round++) {
        clean.add(round(zk, null, "clean-" + round));
        crash.add(round(zk, toxiproxy, "crash-" + round));
      }
      try (CuratorFramework probe = client(zk.connectString())) {
        probe.start();
        probe.blockUntilConnected();
        negotiated = probe.getZookeeperClient().getZooKeeper().getSessionTimeout();
      }
      System.out.printf("negotiated ZooKeeper session timeout: %d ms (requested %d ms)%n", negotiated, SESSION_MS);
      print("clean close", clean, 300);
      print("crash (session expiry)", crash, negotiated + 500);
      System.exit(0);
    }
  }

  static void print(String what, List<Double> ms, double goal) {
    List<Double> sorted = ms.stream().sorted().toList();
    System.out.printf("%-24s rounds=%d min=%.0f ms median=%.0f ms max=%.0f ms  goal <= %.0f ms: %s%n", what, sorted.size(),
        sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), goal,
        sorted.get(sorted.size() - 1) <= goal ? "met" : "NOT met");
  }

  static CuratorFramework client(String connect) {
    return CuratorFrameworkFactory.builder().connectString(connect).sessionTimeoutMs(SESSION_MS)
        .connectionTimeoutMs(2_000).retryPolicy(new ExponentialBackoffRetry(100, 3)).build();
  }

  /** One takeover; returns milliseconds from the leader's end to the next leader's gain. */
  static double round(ZooKeeperEnsemble zk, ToxiproxyServer toxiproxy, String deployment) throws Exception {
    LinkedBlockingQueue<Gain> gains = new LinkedBlockingQueue<>();
    List<Proxy> proxies = new ArrayList<>();
    List<CuratorFramework> clients = new ArrayList<>();
    List<CuratorLeadership> replicas = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        String connect = zk.connectString();
        if (i == 0 && toxiproxy != null) {
          List<String> hosts = new ArrayList<>();
          for (var s : zk.servers()) {
            Proxy p = toxiproxy.proxy(deployment + "-" + s.getPort(), "127.0.0.1:" + s.getPort());
            proxies.add(p);
            hosts.add("127.0.0.1:" + ToxiproxyServer.listenPort(p));
          }
          connect = String.join(",", hosts);
        }
        CuratorFramework c = client(connect);
        c.start();
        c.blockUntilConnected();
        clients.add(c);
        String id = "r" + i;
        CuratorLeadership l = new CuratorLeadership(c, new DeploymentPaths(deployment), id, new LeadershipListener() {
          @Override public void onGained(long epoch) { gains.add(new Gain(id, epoch, System.nanoTime())); }
          @Override public void onLost() {}
        });
        replicas.add(l);
        l.start();
        if (i == 0) {
          Gain first = gains.poll(10, TimeUnit.SECONDS);
          if (first == null || !first.replica().equals("r0")) {
            throw new IllegalStateException("r0 did not lead first: " + first);
          }
        }
      }
      long endedAt = System.nanoTime();
      if (toxiproxy == null) {
        replicas.get(0).close();
      } else {
        for (Proxy p : proxies) {
          p.toxics().timeout("down", ToxicDirection.DOWNSTREAM, 0);
          p.toxics().timeout("up", ToxicDirection.UPSTREAM, 0);
        }
      }
      Gain next = gains.poll(SESSION_MS * 4L, TimeUnit.MILLISECONDS);
      if (next == null || next.replica().equals("r0")) {
        throw new IllegalStateException("no other replica took over: " + next);
      }
      return (next.atNanos() - endedAt) / 1e6;
    } finally {
      for (CuratorLeadership l : replicas) {
        l.close();
      }
      for (Proxy p : proxies) {
        p.delete();
      }
      for (CuratorFramework c : clients) {
        c.close();
      }
    }
  }
}
