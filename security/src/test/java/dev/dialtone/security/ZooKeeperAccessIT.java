package dev.dialtone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.config.Secret;
import dev.dialtone.security.zookeeper.ZooKeeperAccess;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ZooKeeperAccessIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  private static CuratorFramework client(ZooKeeperAccess access) {
    var builder = CuratorFrameworkFactory.builder().connectString(zk.peer().connectString()).retryPolicy(new RetryOneTime(100));
    if (access != null) {
      access.applyTo(builder);
    }
    CuratorFramework client = builder.build();
    client.start();
    return client;
  }

  @Test
  void onlyDialtonesIdentityCanReadOrWriteItsState() throws Exception {
    var dialtone = new ZooKeeperAccess("dialtone", Secret.resolve("env:ZK_PW", Map.of("ZK_PW", "pw-1")));
    var impostor = new ZooKeeperAccess("dialtone", Secret.resolve("env:ZK_PW", Map.of("ZK_PW", "guess")));
    try (var owner = client(dialtone); var anonymous = client(null); var wrong = client(impostor)) {
      owner.create().creatingParentsIfNeeded().forPath("/dialtone/acme/epoch", "7".getBytes(StandardCharsets.US_ASCII));

      assertThatThrownBy(() -> anonymous.setData().forPath("/dialtone/acme/epoch", "99".getBytes(StandardCharsets.US_ASCII)))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> wrong.setData().forPath("/dialtone/acme/epoch", "99".getBytes(StandardCharsets.US_ASCII)))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> anonymous.getData().forPath("/dialtone/acme/epoch"))
          .isInstanceOf(KeeperException.NoAuthException.class);
      assertThatThrownBy(() -> anonymous.create().forPath("/dialtone/acme/rogue"))
          .isInstanceOf(KeeperException.NoAuthException.class);

      assertThat(new String(owner.getData().forPath("/dialtone/acme/epoch"), StandardCharsets.US_ASCII)).isEqualTo("7");
      assertThat(dialtone.toString()).doesNotContain("pw-1");
    }
  }

  @Test
  void aRootOthersMayChangeIsRefusedNamingThePathAndTheEntry() throws Exception {
    var dialtone = new ZooKeeperAccess("dialtone", Secret.resolve("env:ZK_PW", Map.of("ZK_PW", "pw-2")));
    String otherDigest = DigestAuthenticationProvider.generateDigest("mallory:pw-m");
    try (var owner = client(dialtone)) {
      // Absent: created later with our ACL.
      dialtone.requireOwnedRoot(owner, "/acl-check/absent");

      owner.create().creatingParentsIfNeeded().forPath("/acl-check/owned");
      dialtone.requireOwnedRoot(owner, "/acl-check/owned");

      List<ACL> worldWritable = new ArrayList<>(dialtone.acl());
      worldWritable.add(new ACL(ZooDefs.Perms.ALL, ZooDefs.Ids.ANYONE_ID_UNSAFE));
      owner.create().withACL(worldWritable).forPath("/acl-check/open");
      assertThatThrownBy(() -> dialtone.requireOwnedRoot(owner, "/acl-check/open"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ZooKeeper root /acl-check/open has ACL entry world:anyone perms=rwcda")
          .hasMessageContaining("write, delete, create under, administer")
          .hasMessageContaining("refusing to start")
          .hasMessageNotContaining("pw-2");

      List<ACL> sharedWrite = new ArrayList<>(dialtone.acl());
      sharedWrite.add(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.WRITE, new Id("digest", otherDigest)));
      owner.create().withACL(sharedWrite).forPath("/acl-check/shared");
      assertThatThrownBy(() -> dialtone.requireOwnedRoot(owner, "/acl-check/shared"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("/acl-check/shared has ACL entry digest:mallory:<hash> perms=rw---")
          .hasMessageNotContaining(otherDigest);

      // Read by others leaks, but cannot forge: not refused here.
      List<ACL> readable = new ArrayList<>(dialtone.acl());
      readable.add(new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
      owner.create().withACL(readable).forPath("/acl-check/readable");
      dialtone.requireOwnedRoot(owner, "/acl-check/readable");
    }
  }
}
