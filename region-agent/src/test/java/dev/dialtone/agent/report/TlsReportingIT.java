package dev.dialtone.agent.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.agent.RegionAgent;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.proto.v1.AgentServiceGrpc;
import dev.dialtone.proto.v1.Directive;
import dev.dialtone.proto.v1.HealthReport;
import dev.dialtone.security.authz.AccessControlInterceptor;
import dev.dialtone.security.authz.AccessPolicy;
import dev.dialtone.security.authz.Credentials;
import dev.dialtone.security.authz.Principal;
import dev.dialtone.security.identity.SpiffeId;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.security.tls.TlsFiles;
import dev.dialtone.security.tls.TransportSecurity;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent, wired from YAML with {@code controlPlane.tls}, reports over mutual TLS under its certificate identity. */
class TlsReportingIT {
  @TempDir Path dir;

  @Test
  void theAgentReportsOverMutualTlsAsItsRegionIdentity() throws Exception {
    Instant now = Instant.now();
    var ca = CertificateAuthority.create("agent-it-ca", now, Duration.ofDays(1), new SecureRandom());
    Path trust = ca.writeTrustBundle(dir.resolve("ca.crt"));
    var replicaFiles = ca.issue(CertificateAuthority.LeafSpec.loopback("cp-1",
        SpiffeId.replica("acme-voice", "cp-1").toUri(), now, Duration.ofDays(1))).written(dir, "cp-1");
    var agentFiles = ca.issue(CertificateAuthority.LeafSpec.loopback("us-east-a",
        SpiffeId.agent("acme-voice", "us-east", "us-east-a").toUri(), now, Duration.ofDays(1))).written(dir, "us-east-a");

    List<String> senders = new CopyOnWriteArrayList<>();
    List<HealthReport> reports = new CopyOnWriteArrayList<>();
    ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor();
    TransportSecurity serverSecurity = TransportSecurity.mutualTls(
        new TlsFiles(replicaFiles.certificateChain(), replicaFiles.privateKey(), trust, Duration.ofSeconds(30)), reloads, true);
    Server server = Grpc.newServerBuilderForPort(0, serverSecurity.serverCredentials())
        .addService(ServerInterceptors.intercept(new AgentServiceGrpc.AgentServiceImplBase() {
          @Override
          public StreamObserver<HealthReport> report(StreamObserver<Directive> responses) {
            String sender = Principal.current().orElseThrow().name();
            return new StreamObserver<>() {
              @Override public void onNext(HealthReport r) {
                senders.add(sender);
                reports.add(r);
              }
              @Override public void onError(Throwable t) {}
              @Override public void onCompleted() { responses.onCompleted(); }
            };
          }
        }, new AccessControlInterceptor(new Credentials("acme-voice", Map.of(), List.of()), AccessPolicy.dialtoneDefaults(), m -> {})))
        .build().start();
    try {
      // The SIP probe's target is a closed loopback port: the dependency is DOWN, the reports flow all the same.
      AgentConfig config = AgentConfig.loader(Map.of()).parse("agent.yaml", """
          deployment: acme-voice
          region: us-east
          agentId: us-east-a
          reportInterval: 200ms
          http: { port: 0 }
          controlPlane:
            replicas: ["127.0.0.1:%d"]
            reconnectInitial: 50ms
            reconnectMax: 500ms
            tls: { certificate: "%s", key: "%s", trustBundle: "%s" }
          probes:
            - { name: carrier, interval: 500ms, timeout: 200ms, degradedAbove: 100ms, sip: { uri: "sip:127.0.0.1:9;transport=tcp" } }
          """.formatted(server.getPort(), agentFiles.certificateChain(), agentFiles.privateKey(), trust));
      try (RegionAgent agent = RegionAgent.create(config)) {
        agent.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> reports.size() >= 2);
      }
      assertThat(senders).containsOnly("spiffe://acme-voice/region/us-east/agent/us-east-a");
      assertThat(reports).extracting(HealthReport::getRegion).containsOnly("us-east");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      serverSecurity.close();
      reloads.shutdownNow();
    }
  }
}
