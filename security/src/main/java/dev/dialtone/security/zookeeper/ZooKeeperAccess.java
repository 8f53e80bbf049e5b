package dev.dialtone.security.zookeeper;

import dev.dialtone.config.Secret;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.KeeperException;
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

  /**
   * Refuses a deployment root that already exists with an ACL letting any identity but this one
   * write, delete, create under or administer it: our ACL provider only applies to znodes we
   * create, so a root made by someone else (or by hand) could let others forge state.
   *
   * @throws IllegalStateException naming the path and the offending ACL entry
   * @throws Exception if ZooKeeper cannot be read
   */
  public void requireOwnedRoot(CuratorFramework client, String root) throws Exception {
    List<ACL> acl;
    try {
      acl = client.getACL().forPath(root);
    } catch (KeeperException.NoNodeException e) {
      return; // created later with acl()
    } catch (KeeperException.NoAuthException e) {
      throw new IllegalStateException("ZooKeeper root " + root + " exists but digest user '" + user
          + "' may not read its ACL: it belongs to another identity; refusing to start", e);
    }
    Id self = acl().getFirst().getId();
    int unsafe = ZooDefs.Perms.WRITE | ZooDefs.Perms.DELETE | ZooDefs.Perms.CREATE | ZooDefs.Perms.ADMIN;
    for (ACL entry : acl) {
      if (!entry.getId().equals(self) && (entry.getPerms() & unsafe) != 0) {
        throw new IllegalStateException("ZooKeeper root " + root + " has ACL entry " + describe(entry)
            + ", which lets an identity other than digest user '" + user + "' " + perms(entry.getPerms() & unsafe)
            + " it; refusing to start: set its ACL to digest user '" + user + "' alone (setAcl)");
      }
    }
  }

  /** An ACL entry as {@code scheme:id perms=...}, a digest shown by its user only (not its hash). */
  private static String describe(ACL entry) {
    String id = entry.getId().getId();
    if ("digest".equals(entry.getId().getScheme()) && id.contains(":")) {
      id = id.substring(0, id.indexOf(':')) + ":<hash>";
    }
    return entry.getId().getScheme() + ":" + id + " perms=" + letters(entry.getPerms());
  }

  private static String letters(int perms) {
    StringBuilder b = new StringBuilder();
    b.append((perms & ZooDefs.Perms.READ) != 0 ? "r" : "-");
    b.append((perms & ZooDefs.Perms.WRITE) != 0 ? "w" : "-");
    b.append((perms & ZooDefs.Perms.CREATE) != 0 ? "c" : "-");
    b.append((perms & ZooDefs.Perms.DELETE) != 0 ? "d" : "-");
    b.append((perms & ZooDefs.Perms.ADMIN) != 0 ? "a" : "-");
    return b.toString();
  }

  private static String perms(int perms) {
    List<String> words = new java.util.ArrayList<>();
    if ((perms & ZooDefs.Perms.WRITE) != 0) {
      words.add("write");
    }
    if ((perms & ZooDefs.Perms.DELETE) != 0) {
      words.add("delete");
    }
    if ((perms & ZooDefs.Perms.CREATE) != 0) {
      words.add("create under");
    }
    if ((perms & ZooDefs.Perms.ADMIN) != 0) {
      words.add("administer");
    }
    return String.join(", ", words);
  }

  @Override
  public String toString() {
    return "ZooKeeperAccess[user=" + user + ", password=" + password + "]";
  }
}
