package dev.dialtone.controlplane.security;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.security.authz.AccessControlInterceptor;
import dev.dialtone.security.authz.AccessPolicy;
import dev.dialtone.security.authz.Role;
import dev.dialtone.security.tls.TlsFiles;
import dev.dialtone.security.tls.TransportSecurity;
import dev.dialtone.security.zookeeper.ZooKeeperAccess;
import io.grpc.BindableService;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import dev.dialtone.controlplane.state.DeploymentPaths;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.client.ZKClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A replica's security from its configuration: the gRPC server's credentials (mutual TLS, or
 * plaintext in the dev/lab profile), the access control in front of every service, and the
 * ZooKeeper client's credentials, ACLs and TLS.
 */
public final class ReplicaSecurity implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplicaSecurity.class);
  /** Calls refused by access control (no identity, or a role too low), per method. */
  public static final dev.dialtone.telemetry.MetricName REFUSED_CALLS =
      dev.dialtone.controlplane.metrics.ReplicaMetrics.ADMIN_CALLS_REFUSED;

  private final TransportSecurity transport;
  private final AccessControlInterceptor access;
  private final ScheduledExecutorService reloads;
  private final boolean plaintext;

  private ReplicaSecurity(TransportSecurity transport, AccessControlInterceptor access, ScheduledExecutorService reloads,
      boolean plaintext) {
    this.transport = transport;
    this.access = access;
    this.reloads = reloads;
    this.plaintext = plaintext;
  }

  /**
   * Mutual TLS with access control, or plaintext (with a loud warning) when the config says so.
   * Plaintext keeps access control: with {@code access.tokens} configured, callers without a token
   * may only read and report, and mutations need a token's role; without tokens (the bare dev
   * profile) anyone who reaches the port is admin, which is why it listens on loopback by default.
   */
  public static ReplicaSecurity from(ControlPlaneConfig config, MetricRegistry metrics) {
    ControlPlaneConfig.Security s = config.security();
    String who = "control-plane replica " + config.replicaId();
    java.util.function.Consumer<String> refused =
        method -> metrics.counter(REFUSED_CALLS.name(method.substring(method.lastIndexOf('/') + 1))).inc();
    if (s.tls() == null) {
      var credentials = ControlPlaneConfigLoader.credentials(config);
      Role anonymous = credentials.tokens().isEmpty() ? Role.ADMIN : Role.VIEWER;
      log.warn("[replica={}] plaintext on {}:{}: callers without a bearer token are {}", config.replicaId(),
          config.grpc().address(), config.grpc().port(), anonymous == Role.ADMIN
              ? "ADMIN (no security.access.tokens configured): anyone who reaches the port can act"
              : "viewers; mutations need a token of security.access.tokens");
      return new ReplicaSecurity(TransportSecurity.plaintext(who), AccessControlInterceptor.plaintext(credentials,
          AccessPolicy.dialtoneDefaults().withUnverifiedReports(), anonymous, refused), null, true);
    }
    ControlPlaneConfig.Tls t = s.tls();
    ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "tls-reload-" + config.replicaId());
      thread.setDaemon(true);
      return thread;
    });
    TransportSecurity transport = TransportSecurity.mutualTls(
        new TlsFiles(Path.of(t.certificate()), Path.of(t.key()), Path.of(t.trustBundle()), t.refresh()),
        reloads, t.requireClientCertificate());
    AccessControlInterceptor access = new AccessControlInterceptor(ControlPlaneConfigLoader.credentials(config),
        AccessPolicy.dialtoneDefaults(), refused);
    return new ReplicaSecurity(transport, access, reloads, false);
  }

  public ServerCredentials serverCredentials() {
    return transport.serverCredentials();
  }

  /** A TLS context over the gRPC server's own (reloading) certificate and trust, for the status page; empty in plaintext. */
  public java.util.Optional<javax.net.ssl.SSLContext> sslContext() {
    return transport.sslContext();
  }

  /** The access control in front of every service: the status page authenticates and authorizes through it too. */
  public AccessControlInterceptor access() {
    return access;
  }

  /** {@code service} behind access control (in the plaintext profile too, where only tokens prove anything). */
  public ServerServiceDefinition intercept(BindableService service) {
    return ServerInterceptors.intercept(service, access);
  }

  /** Whether callers have no verified identity (plaintext): reports are then taken on trust. */
  public boolean unverified() {
    return plaintext;
  }

  /** Authenticates {@code builder}'s client, sets ACLs on what it creates, and turns on TLS, as configured. */
  public static CuratorFrameworkFactory.Builder applyZooKeeper(ControlPlaneConfig config, CuratorFrameworkFactory.Builder builder) {
    ControlPlaneConfig.ZooKeeperAuth zk = config.security().zookeeper();
    if (zk == null) {
      log.warn("[replica={}] ZooKeeper without authentication: any client of the ensemble can change Dialtone's state",
          config.replicaId());
      return builder;
    }
    ZooKeeperAccess access = new ZooKeeperAccess(zk.user(), zk.password());
    access.applyTo(builder).aclProvider(new DeploymentAcl(new DeploymentPaths(config.deployment()).root(), access.acl()));
    if (zk.tls() != null) {
      builder.zkClientConfig(zooKeeperTls(zk.tls()));
    }
    return builder;
  }

  /**
   * With ZooKeeper credentials, refuses to start on an existing deployment root whose ACL lets
   * anyone else change it (see {@link ZooKeeperAccess#requireOwnedRoot}); without, nothing to check.
   */
  public static void requireOwnedRoot(ControlPlaneConfig config, CuratorFramework client) throws Exception {
    ControlPlaneConfig.ZooKeeperAuth zk = config.security().zookeeper();
    if (zk != null) {
      new ZooKeeperAccess(zk.user(), zk.password()).requireOwnedRoot(client, new DeploymentPaths(config.deployment()).root());
    }
  }

  /**
   * Everything under the deployment's root belongs to Dialtone's identity alone; the shared
   * parents ({@code /dialtone}) also let anyone read and create, so deployments with their own
   * credentials can live on one ensemble, yet none can delete or change another's root.
   */
  record DeploymentAcl(String root, List<ACL> owner) implements ACLProvider {
    @Override
    public List<ACL> getDefaultAcl() {
      return owner;
    }

    @Override
    public List<ACL> getAclForPath(String path) {
      if (path.equals(root) || path.startsWith(root + "/")) {
        return owner;
      }
      List<ACL> shared = new ArrayList<>(owner);
      shared.add(new ACL(ZooDefs.Perms.READ | ZooDefs.Perms.CREATE, ZooDefs.Ids.ANYONE_ID_UNSAFE));
      return shared;
    }
  }

  /** The ZooKeeper client's TLS settings (its own property names). */
  static ZKClientConfig zooKeeperTls(ControlPlaneConfig.ZooKeeperTls tls) {
    ZKClientConfig c = new ZKClientConfig();
    c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
    // TLS needs the Netty socket; the default NIO one speaks plaintext only.
    c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET, "org.apache.zookeeper.ClientCnxnSocketNetty");
    c.setProperty("zookeeper.ssl.keyStore.location", tls.keyStore());
    c.setProperty("zookeeper.ssl.trustStore.location", tls.trustStore());
    if (tls.keyStorePassword() != null) {
      c.setProperty("zookeeper.ssl.keyStore.password", tls.keyStorePassword().reveal());
    }
    if (tls.trustStorePassword() != null) {
      c.setProperty("zookeeper.ssl.trustStore.password", tls.trustStorePassword().reveal());
    }
    return c;
  }

  @Override
  public void close() {
    transport.close();
    if (reloads != null) {
      reloads.shutdownNow();
    }
  }
}
