package dev.dialtone.controlplane.server;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.multibindings.Multibinder;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.config.Secret;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.testing.FencingActuator;
import dev.dialtone.security.zookeeper.ZooKeeperAccess;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A replica with ZooKeeper credentials refuses a deployment root that others may change. */
class ZooKeeperRootAclIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  @TempDir Path dir;

  @Test
  void aReplicaRefusesToStartOnAWorldWritableRoot() throws Exception {
    String password = "zk-root-acl";
    ZooKeeperAccess access = new ZooKeeperAccess("dialtone", Secret.resolve("env:PW", Map.of("PW", password)));
    List<ACL> open = new ArrayList<>(access.acl());
    open.add(new ACL(ZooDefs.Perms.WRITE | ZooDefs.Perms.DELETE, ZooDefs.Ids.ANYONE_ID_UNSAFE));
    try (CuratorFramework admin = access.applyTo(CuratorFrameworkFactory.builder()
        .connectString(zk.peer().connectString()).retryPolicy(new RetryOneTime(100))).build()) {
      admin.start();
      admin.create().creatingParentsIfNeeded().withACL(open).forPath("/dialtone/acl-it");
    }
    Path zkPassword = Files.writeString(dir.resolve("zk.password"), password + "\n");
    ControlPlaneConfig config = new ControlPlaneConfigLoader().parse("acl.yaml", """
        deployment: acl-it
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
        security:
          plaintext: true
          zookeeper: { user: dialtone, password: "file:%s" }
        """.formatted(zk.peer().connectString(), zkPassword));
    FencingActuator dns = new FencingActuator("dns/test", EpochGuard.none());

    try (ControlPlaneReplica replica = new ControlPlaneReplica(config, binder ->
        Multibinder.newSetBinder(binder, TrafficActuator.class).addBinding().toInstance(dns))) {
      assertThatThrownBy(replica::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ZooKeeper root /dialtone/acl-it has ACL entry world:anyone perms=-w-d-")
          .hasMessageContaining("refusing to start")
          .hasMessageNotContaining(password);
    }
  }
}
