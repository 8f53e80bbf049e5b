package dev.dialtone.cli.controlplane;

import static dev.dialtone.cli.controlplane.ControlPlaneVerbsTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.security.tls.TlsFiles;
import dev.dialtone.security.tls.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator verbs against a replica with mTLS and access control: certificates, tokens, refusals; and
 * against a server that is no replica of the deployment, which gets neither token nor request.
 */
class SecuredVerbsIT {
  @RegisterExtension
  static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);

  @TempDir Path dir;

  @Test
  void operatorsActUnderTheirCertificateAndTokensOnlyAsFarAsTheirRole() throws Exception {
    Instant now = Instant.now();
    var ca = CertificateAuthority.create("cli-it-ca", now, Duration.ofDays(1), new SecureRandom());
    Path caFile = ca.writeTrustBundle(dir.resolve("ca.crt"));
    var server = ca.issue(CertificateAuthority.LeafSpec.loopback("cp-1", SpiffeId.replica("cli-tls", "cp-1").toUri(),
        now, Duration.ofDays(1))).written(dir, "cp-1");
    Path ops = Files.createDirectories(dir.resolve("ops"));
    ca.writeTrustBundle(ops.resolve("ca.crt"));
    ca.issue(CertificateAuthority.LeafSpec.loopback("ops", SpiffeId.operator("cli-tls", "ops").toUri(), now, Duration.ofDays(1)))
        .written(ops, "client");
    Path token = Files.writeString(dir.resolve("viewer.token"), "viewer-t0ken\n");
    var config = new ControlPlaneConfigLoader().parse("cli-tls.yaml", """
        deployment: cli-tls
        replicaId: cp-1
        zookeeper: { connect: "%s" }
        grpc: { port: 0 }
        http: { port: 0 }
        tick: 100ms
        # An in-process DNS provider: these tests are about the verbs, not the actuators.
        dns: { provider: { inmemory: { zone: example.com. } }, records: [ { name: voice.example.com., type: A } ] }
        regions:
          - { id: us-east, priority: 1, edge: { a: [203.0.113.10] } }
        security:
          tls: { certificate: "%s", key: "%s", trustBundle: "%s", requireClientCertificate: false }
          access:
            certificates: { "spiffe://cli-tls/operator/ops": operator }
            tokens: [ { name: dashboards, role: viewer, sha256: "%s" } ]
        """.formatted(zk.peer().connectString(), server.certificateChain(), server.privateKey(), caFile,
        Credentials.hash("viewer-t0ken")));
    try (ControlPlaneReplica replica = new ControlPlaneReplica(config).start()) {
      String address = "127.0.0.1:" + replica.grpcPort();
      String[] asOps = {"--server", address, "--tls-dir", ops.toString()};
      String[] asViewer = {"--server", address, "--tls-ca", caFile.toString(), "--token-file", token.toString(),
          "--deployment", "cli-tls"};
      await().atMost(Duration.ofSeconds(15)).until(() -> run(concat(new String[] {"status"}, asOps)).out().contains("leader       cp-1 at epoch"));

      assertThat(run(concat(new String[] {"status"}, asViewer)).exit()).isZero();
      ControlPlaneVerbsTest.Run refused = run(concat(new String[] {"freeze", "--reason", "x"}, asViewer));
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.err()).contains("PERMISSION_DENIED").contains("token:dashboards has role viewer, needs operator")
          .doesNotContain("viewer-t0ken");
      ControlPlaneVerbsTest.Run nobody = run("status", "--server", address, "--tls-ca", caFile.toString(), "--deployment", "cli-tls");
      assertThat(nobody.exit()).isEqualTo(1);
      assertThat(nobody.err()).contains("UNAUTHENTICATED").contains("no client certificate and no bearer token");

      assertThat(run(concat(new String[] {"freeze", "--reason", "change window"}, asOps)).out())
          .contains("mode FROZEN by spiffe://cli-tls/operator/ops: change window");
      assertThat(run(concat(new String[] {"history"}, asViewer)).out()).contains("WHO").contains("spiffe://cli-tls/operator/ops");
    }
  }

  @Test
  void theCliSendsNoTokenAndNoRequestToAServerThatIsNotAReplicaOfItsDeployment() throws Exception {
    Instant now = Instant.now();
    var ca = CertificateAuthority.create("cli-it-ca", now, Duration.ofDays(1), new SecureRandom());
    Path caFile = ca.writeTrustBundle(dir.resolve("ca.crt"));
    Path ops = Files.createDirectories(dir.resolve("ops"));
    ca.writeTrustBundle(ops.resolve("ca.crt"));
    ca.issue(CertificateAuthority.LeafSpec.loopback("ops", SpiffeId.operator("cli-tls", "ops").toUri(), now, Duration.ofDays(1)))
        .written(ops, "client");
    Path token = Files.writeString(dir.resolve("operator.token"), "op3rator-t0ken\n");
    // Same CA, wrong identity: an agent's certificate, and a replica of another deployment.
    for (SpiffeId impostor : List.of(SpiffeId.agent("cli-tls", "us-east", "us-east-a"), SpiffeId.replica("other", "cp-1"))) {
      var files = ca.issue(CertificateAuthority.LeafSpec.loopback("impostor", impostor.toUri(), now, Duration.ofDays(1)))
          .written(dir, "impostor");
      List<String> heard = new CopyOnWriteArrayList<>();
      ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor();
      TransportSecurity security = TransportSecurity.mutualTls(
          new TlsFiles(files.certificateChain(), files.privateKey(), caFile, Duration.ofSeconds(30)), reloads, false);
      Server server = Grpc.newServerBuilderForPort(0, security.serverCredentials())
          .addService(ServerInterceptors.intercept(new AdminServiceGrpc.AdminServiceImplBase() {}, new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
              heard.add(call.getMethodDescriptor().getFullMethodName() + " " + headers);
              return next.startCall(call, headers);
            }
          })).build().start();
      try {
        String address = "127.0.0.1:" + server.getPort();
        String why = "(" + impostor + ") is not a control-plane replica of deployment cli-tls";
        ControlPlaneVerbsTest.Run withToken = run("freeze", "--reason", "x", "--server", address, "--tls-ca", caFile.toString(),
            "--token-file", token.toString(), "--deployment", "cli-tls");
        assertThat(withToken.exit()).as(withToken.err()).isEqualTo(3);
        assertThat(withToken.err()).contains("UNAVAILABLE").contains(why).doesNotContain("op3rator-t0ken");
        ControlPlaneVerbsTest.Run withCertificate = run("status", "--server", address, "--tls-dir", ops.toString());
        assertThat(withCertificate.exit()).as(withCertificate.err()).isEqualTo(3);
        assertThat(withCertificate.err()).contains(why);
        assertThat(heard).isEmpty();
      } finally {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        security.close();
        reloads.shutdownNow();
      }
    }
    ControlPlaneVerbsTest.Run unsaid = run("status", "--server", "127.0.0.1:1", "--tls-ca", caFile.toString(),
        "--token-file", token.toString());
    assertThat(unsaid.exit()).isEqualTo(2);
    assertThat(unsaid.err()).contains("--deployment (or DIALTONE_DEPLOYMENT) is required without a client certificate");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
