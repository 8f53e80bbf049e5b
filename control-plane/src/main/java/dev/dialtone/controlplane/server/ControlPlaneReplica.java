package dev.dialtone.controlplane.server;

import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.security.ReplicaSecurity;
import dev.dialtone.controlplane.metrics.MetricsHttpServer;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import dev.dialtone.controlplane.health.HealthView;
import dev.dialtone.controlplane.actuation.RoutingReadBack;
import dev.dialtone.controlplane.metrics.ActuatorOwnerMetrics;
import dev.dialtone.controlplane.metrics.CallCountMetrics;
import dev.dialtone.controlplane.metrics.ReplicaGauges;
import dev.dialtone.controlplane.metrics.ReplicaMetrics;
import dev.dialtone.telemetry.CertificateExpiry;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import com.google.inject.Module;
import dev.dialtone.controlplane.admin.AdminGrpcService;
import dev.dialtone.controlplane.gameday.GameDayService;
import dev.dialtone.controlplane.health.AgentService;
import dev.dialtone.controlplane.notify.NotificationService;
import dev.dialtone.controlplane.statuspage.StatusPageServer;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import io.grpc.Server;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import dev.dialtone.actuation.TrafficActuator;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A control-plane replica process: the replica's brain plus its gRPC server ({@code AgentService}
 * and {@code AdminService}, with keepalive permitted every second so dead agents are seen in about
 * a second) behind mutual TLS and access control ({@link ReplicaSecurity}), the standard gRPC health
 * service and reflection, {@code /metrics}, {@code /healthz} and {@code /readyz} over HTTP, a
 * JMX reporter, and with {@code statusPage:} the status page for people over HTTPS.
 */
public final class ControlPlaneReplica implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlaneReplica.class);

  private final ControlPlaneConfig config;
  private final Injector injector;
  private final Replica replica;
  private final Optional<GameDayService> gameDays;
  private final Optional<NotificationService> notifications;
  private final HealthStatusManager health = new HealthStatusManager();
  private Server grpc;
  private MetricsHttpServer http;
  private StatusPageServer statusPage;
  private JmxReporter jmx;
  private java.util.concurrent.ScheduledExecutorService sampler;
  private RoutingReadBack readBack;
  private boolean closed;

  /** {@code extra} modules add actuators ({@code Multibinder<TrafficActuator>}) or override bindings. */
  public ControlPlaneReplica(ControlPlaneConfig config, Module... extra) {
    this.config = config;
    List<Module> modules = new ArrayList<>(List.of(new ControlPlaneModule(config)));
    modules.addAll(List.of(extra));
    this.injector = Guice.createInjector(modules);
    Set<TrafficActuator> actuators = injector.getInstance(Key.get(new TypeLiteral<Set<TrafficActuator>>() {}));
    if (config.mode() == ControlPlaneConfig.Operation.ACTUATE && actuators.isEmpty()) {
      throw new IllegalStateException(ControlPlaneConfig.NO_ACTUATOR);
    }
    this.replica = injector.getInstance(Replica.class);
    // Created now so game days hear of leadership from the start.
    this.gameDays = injector.getInstance(Key.get(new TypeLiteral<Optional<GameDayService>>() {}));
    this.notifications = injector.getInstance(Key.get(new TypeLiteral<Optional<NotificationService>>() {}));
  }

  public ControlPlaneReplica start() throws IOException {
    ControlPlaneConfig.Grpc g = config.grpc();
    ReplicaSecurity security = injector.getInstance(ReplicaSecurity.class);
    // Before anything listens or leads: a root others may change is refused outright.
    try {
      ReplicaSecurity.requireOwnedRoot(config, injector.getInstance(CuratorFramework.class));
    } catch (IllegalStateException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted checking the ZooKeeper root's ACL", e);
    } catch (Exception e) {
      throw new IllegalStateException("could not check the ZooKeeper root's ACL: " + e.getMessage(), e);
    }
    CuratorFramework zooKeeper = injector.getInstance(CuratorFramework.class);
    // SERVING while this replica reaches ZooKeeper: without it, it neither leads nor follows.
    zooKeeper.getConnectionStateListenable().addListener((c, state) -> serving(state.isConnected()));
    serving(zooKeeper.getZookeeperClient().isConnected());
    grpc = NettyServerBuilder.forAddress(new InetSocketAddress(g.address(), g.port()), security.serverCredentials())
        .addService(security.intercept(injector.getInstance(AgentService.class)))
        .addService(security.intercept(injector.getInstance(AdminGrpcService.class)))
        // The standard health service and reflection, so grpcurl and gRPC probes work (viewer role).
        .addService(security.intercept(health.getHealthService()))
        .addService(security.intercept(ProtoReflectionServiceV1.newInstance()))
        .keepAliveTime(g.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTimeout(g.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveTime(g.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
        .permitKeepAliveWithoutCalls(true)
        .build()
        .start();
    MetricRegistry metrics = injector.getInstance(MetricRegistry.class);
    http = new MetricsHttpServer(metrics, config.http().address(), config.http().port(), this::notReady);
    http.start();
    jmx = JmxReporter.forRegistry(metrics).inDomain("dev.dialtone.controlplane").build();
    jmx.start();
    // One read-back of the actuators' routing for the status page and the owner-epoch metric.
    readBack = new RoutingReadBack(List.copyOf(injector.getInstance(Key.get(new TypeLiteral<Set<TrafficActuator>>() {}))),
        config.statusPage() != null ? config.statusPage().readBackEvery() : java.time.Duration.ofSeconds(5),
        injector.getInstance(Clock.class), java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "readback-" + config.replicaId());
          t.setDaemon(true);
          return t;
        }));
    sampleState(metrics);
    if (config.servesStatusPage()) {
      statusPage = StatusPageServer.start(config, security, injector.getInstance(AdminGrpcService.class), readBack,
          injector.getInstance(Clock.class));
    }
    replica.start();
    log.info("[replica={}] serving gRPC on {} and /metrics on {} for deployment {}",
        config.replicaId(), grpc.getPort(), http.port(), config.deployment());
    return this;
  }

  // State gauges are sampled off the scrape path, once a second, on their own daemon thread.
  private void sampleState(MetricRegistry metrics) {
    ReplicaGauges gauges = new ReplicaGauges(metrics, replica.store(), injector.getInstance(HealthView.class)::snapshot,
        config.policy().toPolicyConfig().mode(), injector.getInstance(Clock.class));
    if (config.security().tls() != null) {
      metrics.register(ReplicaMetrics.CERTIFICATE_EXPIRY.name("grpc-server"),
          new CertificateExpiry(java.nio.file.Path.of(config.security().tls().certificate())));
    }
    sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "metrics-sampler-" + config.replicaId());
      t.setDaemon(true);
      return t;
    });
    sampler.scheduleWithFixedDelay(() -> sampleSafely(gauges::sample), 0, 1, TimeUnit.SECONDS);
    Set<TrafficActuator> actuators = injector.getInstance(Key.get(new TypeLiteral<Set<TrafficActuator>>() {}));
    ActuatorOwnerMetrics.register(metrics, readBack, () -> replica.leadership().term().isPresent());
    List<dev.dialtone.actuation.calls.CallCounter> carriers = actuators.stream()
        .filter(a -> a instanceof dev.dialtone.actuation.calls.CallCounter)
        .map(a -> (dev.dialtone.actuation.calls.CallCounter) a).toList();
    if (!carriers.isEmpty()) {
      CallCountMetrics calls = new CallCountMetrics(metrics, carriers, () -> replica.leadership().term().isPresent());
      sampler.scheduleWithFixedDelay(() -> sampleSafely(calls::sample), 0, 5, TimeUnit.SECONDS);
    }
  }

  private void sampleSafely(Runnable sample) {
    try {
      sample.run();
    } catch (RuntimeException e) {
      log.warn("[replica={}] metrics sample failed: {}", config.replicaId(), e.toString());
    }
  }

  private void serving(boolean connected) {
    HealthCheckResponse.ServingStatus status = connected ? HealthCheckResponse.ServingStatus.SERVING
        : HealthCheckResponse.ServingStatus.NOT_SERVING;
    for (String service : List.of(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, AgentServiceGrpc.SERVICE_NAME,
        AdminServiceGrpc.SERVICE_NAME)) {
      health.setStatus(service, status);
    }
  }

  /** Why this replica should not be sent requests now (no ZooKeeper, or no leader known), if so. */
  Optional<String> notReady() {
    if (!replica.leadership().connected()) {
      return Optional.of("not connected to ZooKeeper");
    }
    if (replica.leadership().leaderId().isEmpty()) {
      return Optional.of("no leader is known");
    }
    return Optional.empty();
  }

  public int grpcPort() {
    return grpc.getPort();
  }

  public int httpPort() {
    return http.port();
  }

  /** Where the gRPC server listens. */
  public InetSocketAddress grpcAddress() {
    return (InetSocketAddress) grpc.getListenSockets().getFirst();
  }

  /** The status page, if {@code statusPage:} turns it on. */
  public Optional<StatusPageServer> statusPage() {
    return Optional.ofNullable(statusPage);
  }

  /** Where {@code /metrics} listens. */
  public InetSocketAddress httpAddress() {
    return http.address();
  }

  public Replica replica() {
    return replica;
  }

  /** Blocks until the gRPC server stops. */
  public void awaitTermination() throws InterruptedException {
    grpc.awaitTermination();
  }

  /** Hands leadership over at once, then stops serving. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    gameDays.ifPresent(GameDayService::close); // heals an active drill while still able to
    health.enterTerminalState(); // probes see NOT_SERVING while the server drains
    if (statusPage != null) {
      statusPage.close(); // live pages end before the state they show goes away
    }
    replica.close();
    notifications.ifPresent(NotificationService::close);
    if (grpc != null) {
      grpc.shutdown();
      try {
        if (!grpc.awaitTermination(2, TimeUnit.SECONDS)) {
          grpc.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        grpc.shutdownNow();
      }
    }
    if (sampler != null) {
      sampler.shutdownNow();
    }
    if (readBack != null) {
      readBack.close();
    }
    if (http != null) {
      http.close();
    }
    if (jmx != null) {
      jmx.close();
    }
    injector.getInstance(CuratorFramework.class).close();
    injector.getInstance(ReplicaSecurity.class).close();
  }
}
