package dev.dialtone.dns.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.peers.process.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the epoch the control plane writes, from a real ZooKeeper server. */
class ZooKeeperEpochIT {
  @TempDir Path dir;
  private TestingServer zk;
  private CuratorFramework client;

  @BeforeEach
  void start() throws Exception {
    zk = new TestingServer(FreePorts.tcpAndUdp(), dir.toFile());
    client = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
    client.start();
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    zk.close();
  }

  private void write(String text) throws Exception {
    client.create().orSetData().creatingParentsIfNeeded().forPath(ZooKeeperEpoch.path("acme"), text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void readsTheDecimalEpoch() throws Exception {
    write("17\n");
    assertThat(ZooKeeperEpoch.path("acme")).isEqualTo("/dialtone/acme/epoch");
    assertThat(ZooKeeperEpoch.read(client, "acme")).isEqualTo(17);
  }

  @Test
  void saysWhenNoLeaderEverWroteOne() {
    assertThatThrownBy(() -> ZooKeeperEpoch.read(client, "acme"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no epoch at /dialtone/acme/epoch");
  }

  @Test
  void refusesSomethingThatIsNotANumber() throws Exception {
    write("seventeen");
    assertThatThrownBy(() -> ZooKeeperEpoch.read(client, "acme")).hasMessageContaining("holds 'seventeen', not a decimal epoch");
  }
}
