package dev.dialtone.security;

import static dev.dialtone.security.authz.BearerToken.callCredentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.FailoverRequest;
import dev.dialtone.proto.v1.FailoverResponse;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.SwitchoverRequest;
import dev.dialtone.proto.v1.SwitchoverResponse;
import dev.dialtone.security.authz.AccessControlInterceptor;
import dev.dialtone.security.authz.AccessPolicy;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.authz.Principal;
import dev.dialtone.security.authz.Role;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.security.tls.TlsFiles;
import dev.dialtone.security.tls.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mTLS and authorization over a real loopback gRPC server: each attempt fails for the right reason. */
class MutualTlsIT {
  private static final String DEPLOYMENT = "acme-voice";
  private static final Instant NOW = Instant.now();
  private static final Duration DAY = Duration.ofDays(1);

  @TempDir Path dir;
  private final SecureRandom random = new SecureRandom();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final List<String> refusals = new CopyOnWriteArrayList<>();
  private final List<String> principalsSeen = new CopyOnWriteArrayList<>();
  private CertificateAuthority ca;
  private Path trust;
  private TransportSecurity serverSecurity;
  private Server server;

  @BeforeEach
  void startServer() throws Exception {
    ca = CertificateAuthority.create("dialtone-test-ca", NOW, DAY, random);
    trust = ca.writeTrustBundle(dir.resolve("ca.crt"));
    startServer(true);
  }

  private void startServer(boolean requireClientCertificate) throws Exception {
    startServer(requireClientCertificate, SpiffeId.replica(DEPLOYMENT, "replica-1"));
  }

  private void startServer(boolean requireClientCertificate, SpiffeId serverId) throws Exception {
    var files = issue(ca, serverId, "server", NOW, DAY);
    serverSecurity =
        TransportSecurity.mutualTls(
            new TlsFiles(files.certificateChain(), files.privateKey(), trust, Duration.ofMillis(100)),
            scheduler, requireClientCertificate);
    var credentials =
        new Credentials(
            DEPLOYMENT,
            Map.of(
                SpiffeId.operator(DEPLOYMENT, "vera").toString(), Role.VIEWER,
                SpiffeId.operator(DEPLOYMENT, "otto").toString(), Role.OPERATOR,
                SpiffeId.operator(DEPLOYMENT, "ada").toString(), Role.ADMIN),
            List.of(new Credentials.TokenBinding("pipeline", Role.OPERATOR, Credentials.hash("s3cret-token"))));
    server =
        Grpc.newServerBuilderForPort(0, serverSecurity.serverCredentials())
            .addService(
                ServerInterceptors.intercept(
                    new RecordingAdmin(),
                    new AccessControlInterceptor(credentials, AccessPolicy.dialtoneDefaults(), refusals::add)))
            .build()
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    stopServer();
    scheduler.shutdownNow();
  }

  private void stopServer() throws Exception {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    serverSecurity.close();
  }

  @Test
  void callerWithoutClientCertificateIsRefusedAtTheHandshake() throws Exception {
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
                io.grpc.TlsChannelCredentials.newBuilder().trustManager(trust.toFile()).build())
            .build();
    try {
      assertThatThrownBy(() -> AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
              .getStatus(GetStatusRequest.getDefaultInstance()))
          .isInstanceOf(StatusRuntimeException.class)
          .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
      assertThat(principalsSeen).isEmpty();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void certificateFromAnotherCaIsRefused() throws Exception {
    var rogue = CertificateAuthority.create("rogue-ca", NOW, DAY, random);
    var files = issue(rogue, SpiffeId.operator(DEPLOYMENT, "ada"), "rogue", NOW, DAY);
    assertRefusedAtHandshake(files);
  }

  @Test
  void expiredCertificateIsRefused() throws Exception {
    var files = issue(ca, SpiffeId.operator(DEPLOYMENT, "ada"), "expired", NOW.minus(Duration.ofDays(3)), Duration.ofDays(1));
    assertRefusedAtHandshake(files);
  }

  @Test
  void viewerMayReadButNotSwitchOverAndTheRefusalIsCounted() throws Exception {
    try (var client = client(SpiffeId.operator(DEPLOYMENT, "vera"))) {
      assertThat(client.stub().getStatus(GetStatusRequest.getDefaultInstance()).getReplicaId()).isEqualTo("test");
      assertThat(principalsSeen).containsExactly("spiffe://acme-voice/operator/vera");
      assertDenied(() -> client.stub().switchover(SwitchoverRequest.newBuilder().setToRegion("us-west").build()),
          Status.Code.PERMISSION_DENIED, "has role viewer, needs operator");
      assertThat(refusals).containsExactly("dialtone.v1.AdminService/Switchover");
    }
  }

  @Test
  void operatorMaySwitchOverButNotForceFailover() throws Exception {
    try (var client = client(SpiffeId.operator(DEPLOYMENT, "otto"))) {
      client.stub().switchover(SwitchoverRequest.newBuilder().setToRegion("us-west").build());
      assertDenied(() -> client.stub().failover(FailoverRequest.newBuilder().setToRegion("us-west").setForce(true).build()),
          Status.Code.PERMISSION_DENIED, "needs admin");
    }
    try (var client = client(SpiffeId.operator(DEPLOYMENT, "ada"))) {
      client.stub().failover(FailoverRequest.newBuilder().setToRegion("us-west").setForce(true).setReason("drill").build());
      assertThat(principalsSeen).endsWith("spiffe://acme-voice/operator/ada");
    }
  }

  @Test
  void agentIdentityCannotCallTheAdminApi() throws Exception {
    try (var client = client(SpiffeId.agent(DEPLOYMENT, "us-east", "agent-1"))) {
      assertDenied(() -> client.stub().getStatus(GetStatusRequest.getDefaultInstance()),
          Status.Code.PERMISSION_DENIED, "has no role");
    }
  }

  @Test
  void identityOfAnotherDeploymentIsRefused() throws Exception {
    try (var client = client(SpiffeId.operator("other-deployment", "ada"))) {
      assertDenied(() -> client.stub().getStatus(GetStatusRequest.getDefaultInstance()),
          Status.Code.UNAUTHENTICATED, "belongs to deployment other-deployment, not acme-voice");
    }
  }

  @Test
  void bearerTokenWorksWithoutClientCertificateWhereTheServerAllowsIt() throws Exception {
    stopServer();
    startServer(false);
    ManagedChannel channel =
        Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(),
                io.grpc.TlsChannelCredentials.newBuilder().trustManager(trust.toFile()).build())
            .build();
    try {
      var stub = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
      assertDenied(() -> stub.getStatus(GetStatusRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED,
          "no client certificate and no bearer token");
      assertDenied(() -> stub.withCallCredentials(callCredentials("wrong")).getStatus(GetStatusRequest.getDefaultInstance()),
          Status.Code.UNAUTHENTICATED, "unknown bearer token");
      stub.withCallCredentials(callCredentials("s3cret-token")).switchover(SwitchoverRequest.newBuilder().setToRegion("us-west").build());
      assertThat(principalsSeen).containsExactly("token:pipeline");
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void anAgentCertificatePosingAsAReplicaIsRefusedByTheClient() throws Exception {
    stopServer();
    startServer(true, SpiffeId.agent(DEPLOYMENT, "us-east", "agent-1"));
    assertServerRefused("(spiffe://acme-voice/region/us-east/agent/agent-1) is not a control-plane replica of deployment acme-voice");
  }

  @Test
  void aReplicaOfAnotherDeploymentIsRefusedByTheClient() throws Exception {
    stopServer();
    startServer(true, SpiffeId.replica("other-deployment", "replica-1"));
    assertServerRefused("(spiffe://other-deployment/replica/replica-1) is not a control-plane replica of deployment acme-voice");
  }

  private void assertServerRefused(String why) throws Exception {
    try (var client = client(SpiffeId.operator(DEPLOYMENT, "ada"))) {
      assertThatThrownBy(() -> client.stub().getStatus(GetStatusRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(causes(e)).anySatisfy(message -> assertThat(message).contains(why));
          });
    }
    assertThat(principalsSeen).isEmpty();
  }

  private static List<String> causes(Throwable t) {
    List<String> messages = new java.util.ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      messages.add(String.valueOf(c.getMessage()));
    }
    return messages;
  }

  @Test
  void rotatedServerCertificateIsPickedUpWithoutRestart() throws Exception {
    X509Certificate before;
    try (var client = client(SpiffeId.operator(DEPLOYMENT, "vera"))) {
      before = client.serverCertificate();
    }
    // Rotate: a new certificate written over the same files the running server reads.
    ca.issue(CertificateAuthority.LeafSpec.loopback("server", SpiffeId.replica(DEPLOYMENT, "replica-1").toUri(), NOW, DAY))
        .written(dir, "server");
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
      try (var client = client(SpiffeId.operator(DEPLOYMENT, "vera"))) {
        assertThat(client.serverCertificate().getSerialNumber()).isNotEqualTo(before.getSerialNumber());
      }
    });
  }

  @Test
  void aBotchedRotationKeepsTheCurrentCredentials() throws Exception {
    X509Certificate before;
    try (var client = client(SpiffeId.operator(DEPLOYMENT, "vera"))) {
      before = client.serverCertificate();
    }
    java.nio.file.Files.writeString(dir.resolve("server.crt"), "-----BEGIN CERTIFICATE-----\ntruncated");
    // Several reload periods pass; the server keeps serving, with the certificate it had.
    for (int i = 0; i < 5; i++) {
      try (var client = client(SpiffeId.operator(DEPLOYMENT, "vera"))) {
        assertThat(client.serverCertificate().getSerialNumber()).isEqualTo(before.getSerialNumber());
      }
    }
  }

  private void assertRefusedAtHandshake(CertificateAuthority.Issued.PemFiles files) throws Exception {
    try (var client = new Client(files)) {
      assertDenied(() -> client.stub().getStatus(GetStatusRequest.getDefaultInstance()), Status.Code.UNAVAILABLE, "");
    }
    assertThat(principalsSeen).isEmpty();
  }

  private CertificateAuthority.Issued.PemFiles issue(
      CertificateAuthority authority, SpiffeId id, String name, Instant from, Duration validity) {
    return authority.issue(CertificateAuthority.LeafSpec.loopback(name, id.toUri(), from, validity)).written(dir, name);
  }

  private Client client(SpiffeId id) throws Exception {
    return new Client(issue(ca, id, "client-" + id.name(), NOW, DAY));
  }

  private static void assertDenied(Runnable call, Status.Code code, String description) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(String.valueOf(e.getStatus().getDescription())).contains(description);
        });
  }

  /** A client with its own reloading mTLS credentials. */
  private final class Client implements AutoCloseable {
    private final TransportSecurity security;
    private final ManagedChannel channel;

    Client(CertificateAuthority.Issued.PemFiles files) {
      security = TransportSecurity.mutualTls(
          new TlsFiles(files.certificateChain(), files.privateKey(), trust, Duration.ofSeconds(30)), scheduler, true);
      channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), security.channelCredentials(DEPLOYMENT)).build();
    }

    AdminServiceGrpc.AdminServiceBlockingStub stub() {
      return AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    X509Certificate serverCertificate() throws Exception {
      var captured = new java.util.concurrent.atomic.AtomicReference<X509Certificate>();
      var stubWithCapture = stub().withInterceptors(new io.grpc.ClientInterceptor() {
        @Override
        public <Q, R> io.grpc.ClientCall<Q, R> interceptCall(io.grpc.MethodDescriptor<Q, R> method,
            io.grpc.CallOptions options, io.grpc.Channel next) {
          return new io.grpc.ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
              super.start(new io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                @Override
                public void onHeaders(Metadata h) {
                  try {
                    var session = getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
                    captured.set((X509Certificate) session.getPeerCertificates()[0]);
                  } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    throw new IllegalStateException(e);
                  }
                  super.onHeaders(h);
                }
              }, headers);
            }
          };
        }
      });
      stubWithCapture.getStatus(GetStatusRequest.getDefaultInstance());
      return captured.get();
    }

    @Override
    public void close() throws Exception {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      security.close();
    }
  }

  /** Answers with fixed values and records the principal of every call that got through. */
  private final class RecordingAdmin extends AdminServiceGrpc.AdminServiceImplBase {
    private void seen() {
      principalsSeen.add(Principal.current().orElseThrow().name());
    }

    @Override
    public void getStatus(GetStatusRequest request, StreamObserver<GetStatusResponse> out) {
      seen();
      out.onNext(GetStatusResponse.newBuilder().setReplicaId("test").build());
      out.onCompleted();
    }

    @Override
    public void switchover(SwitchoverRequest request, StreamObserver<SwitchoverResponse> out) {
      seen();
      out.onNext(SwitchoverResponse.getDefaultInstance());
      out.onCompleted();
    }

    @Override
    public void failover(FailoverRequest request, StreamObserver<FailoverResponse> out) {
      seen();
      out.onNext(FailoverResponse.getDefaultInstance());
      out.onCompleted();
    }
  }
}
