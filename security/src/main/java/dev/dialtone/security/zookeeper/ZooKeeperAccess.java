package dev.dialtone.security.zookeeper;

import dev.dialtone.config.Secret;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * Dialtone's ZooKeeper credentials: every client authenticates with a digest identity, and every
 * znode Dialtone creates is readable and writable by that identity only, so no other client of a
 * shared ensemble can read or forge placement, epochs or history.
 *
 * @param user the digest user name (not secret)
 * @param password the digest password, from a file or the environment
 */
public record ZooKeeperAccess(String user, Secret password) {

  public ZooKeeperAccess {
    if (user == null || user.isBlank() || user.contains(":")) {
      throw new IllegalArgumentException("zookeeper.auth.user must be a non-empty name without ':'");
    }
  }

  /** Authenticates the client being built and makes it create every znode with {@link #acl()}. */
  public CuratorFrameworkFactory.Builder applyTo(CuratorFrameworkFactory.Builder builder) {
    List<ACL> acl = acl();
    return builder
        .authorization("digest", (user + ":" + password.reveal()).getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .aclProvider(
            new ACLProvider() {
              @Override
              public List<ACL> getDefaultAcl() {
                return acl;
              }

              @Override
              public List<ACL> getAclForPath(String path) {
                return acl;
              }
            });
  }

  /** All permissions for this digest identity, nothing for anyone else. */
  public List<ACL> acl() {
    try {
      String digest = DigestAuthenticationProvider.generateDigest(user + ":" + password.reveal());
      // ZooKeeper probes the list with contains(null), which List.of refuses.
      return java.util.Collections.singletonList(new ACL(ZooDefs.Perms.ALL, new Id("digest", digest)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 digest unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "ZooKeeperAccess[user=" + user + ", password=" + password + "]";
  }
}
