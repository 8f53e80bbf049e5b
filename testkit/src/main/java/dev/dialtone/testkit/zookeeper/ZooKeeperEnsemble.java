package dev.dialtone.testkit.zookeeper;

import dev.dialtone.peers.Peer;
import dev.dialtone.peers.process.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;

/**
 * A real ZooKeeper ensemble (Curator's {@link TestingCluster}, three servers by default) on free
 * loopback ports, with helpers to kill and restart single servers.
 */
public final class ZooKeeperEnsemble implements Peer {
  private final int size;
  private TestingCluster cluster;

  public ZooKeeperEnsemble(Path workDir) {
    this(workDir, 3);
  }

  public ZooKeeperEnsemble(Path workDir, int size) {
    this.size = size;
  }

  @Override
  public String name() {
    return "zookeeper";
  }

  @Override
  public void start() throws Exception {
    if (cluster == null) {
      // Ports from FreePorts, never one twice: Curator's own picks (bind 0, close) can hand the same
      // port out as one server's client and election port ("Client and election port must be different").
      List<InstanceSpec> specs = new java.util.ArrayList<>();
      for (int id = 1; id <= size; id++) {
        specs.add(new InstanceSpec(null, FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), true, id,
            -1, -1, null, "127.0.0.1"));
      }
      cluster = new TestingCluster(specs);
    }
    cluster.start();
    try (CuratorFramework client = newClient()) {
      client.start();
      if (!client.blockUntilConnected(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new IllegalStateException("ZooKeeper ensemble " + connectString() + " did not accept a client in 30 s");
      }
      client.checkExists().forPath("/");
    }
  }

  /** The client connect string, e.g. {@code 127.0.0.1:2181,127.0.0.1:2182,127.0.0.1:2183}. */
  public String connectString() {
    return cluster.getConnectString();
  }

  /** A new, unstarted Curator client with a short session suitable for tests. */
  public CuratorFramework newClient() {
    return newClient(Duration.ofSeconds(5), new ExponentialBackoffRetry(100, 5));
  }

  /** A new, unstarted Curator client. */
  public CuratorFramework newClient(Duration sessionTimeout, RetryPolicy retryPolicy) {
    return CuratorFrameworkFactory.builder()
        .connectString(connectString())
        .sessionTimeoutMs((int) sessionTimeout.toMillis())
        .connectionTimeoutMs(5_000)
        .retryPolicy(retryPolicy)
        .build();
  }

  /** The ensemble's servers. */
  public List<InstanceSpec> servers() {
    return List.copyOf(cluster.getInstances());
  }

  /** Kills one server abruptly. */
  public void kill(InstanceSpec server) {
    try {
      cluster.killServer(server);
    } catch (Exception e) {
      throw new IllegalStateException("could not kill ZooKeeper server " + "127.0.0.1:" + server.getPort(), e);
    }
  }

  /** Restarts a killed server on the same port and data directory. */
  public void restart(InstanceSpec server) {
    try {
      cluster.restartServer(server);
    } catch (Exception e) {
      throw new IllegalStateException("could not restart ZooKeeper server " + "127.0.0.1:" + server.getPort(), e);
    }
  }

  @Override
  public void stop() {
    if (cluster != null) {
      try {
        cluster.stop();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @Override
  public List<Path> logFiles() {
    return List.of(); // ZooKeeper logs through the test's own SLF4J binding.
  }

  @Override
  public void close() {
    if (cluster != null) {
      try {
        cluster.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
