package dev.dialtone.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.nio.charset.StandardCharsets;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.test.InstanceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperEnsembleIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  @Test
  void threeServersKeepQuorumWhenOneIsKilledAndTakeItBack() throws Exception {
    ZooKeeperEnsemble ensemble = zk.peer();
    assertThat(ensemble.servers()).hasSize(3);
    try (CuratorFramework client = ensemble.newClient()) {
      client.start();
      client.blockUntilConnected();
      client.create().creatingParentsIfNeeded().forPath("/smoke/a", "1".getBytes(StandardCharsets.UTF_8));

      InstanceSpec victim = ensemble.servers().get(0);
      ensemble.kill(victim);
      client.setData().forPath("/smoke/a", "2".getBytes(StandardCharsets.UTF_8));
      ensemble.restart(victim);

      assertThat(new String(client.getData().forPath("/smoke/a"), StandardCharsets.UTF_8)).isEqualTo("2");
    }
  }
}
