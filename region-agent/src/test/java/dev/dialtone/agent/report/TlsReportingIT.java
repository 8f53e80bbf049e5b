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
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent, wired from YAML with {@code controlPlane.tls}, reports over mutual TLS under its certificate identity,
 * and only to servers whose certificate names a replica of its own deployment.
 */
class TlsReportingIT {
  private final Instant now = Instant.now();
  private final CertificateAuthority ca = CertificateAuthority.create("agent-it-ca", now, Duration.ofDays(1), new SecureRandom());
  @TempDir Path dir;
  private Path trust;
  private CertificateAuthority.Issued.PemFiles agentFiles;

  @BeforeEach
  void issueTheAgentsCertificate() {
    trust = ca.writeTrustBundle(dir.resolve("ca.crt"));
    agentFiles = issue(SpiffeId.agent("acme-voice", "us-east", "us-east-a"), "us-east-a");
  }

  @Test
  void theAgentReportsOverMutualTlsAsItsRegionIdentity() throws Exception {
    try (var replica = new RecordingServer(issue(SpiffeId.replica("acme-voice", "cp-1"), "cp-1"), trust);
        RegionAgent agent = RegionAgent.create(agentConfig(agentFiles, trust, replica.port()))) {
      agent.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> replica.reports.size() >= 2);
      assertThat(replica.senders).containsOnly("spiffe://acme-voice/region/us-east/agent/us-east-a");
      assertThat(replica.reports).extracting(HealthReport::getRegion).containsOnly("us-east");
    }
  }

  @Test
  void theAgentSendsNothingToAServerThatIsNotAReplicaOfItsDeployment() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    Logger senderLog = (Logger) LoggerFactory.getLogger(ReplicaSender.class);
    senderLog.addAppender(log);
    // Same CA, wrong identity: another region's agent, and a replica of another deployment.
    try (var agentPosing = new RecordingServer(issue(SpiffeId.agent("acme-voice", "us-west", "us-west-a"), "us-west-a"), trust);
        var otherDeployment = new RecordingServer(issue(SpiffeId.replica("other-voice", "cp-1"), "other-cp-1"), trust);
        var replica = new RecordingServer(issue(SpiffeId.replica("acme-voice", "cp-1"), "cp-1"), trust);
        RegionAgent agent = RegionAgent.create(
            agentConfig(agentFiles, trust, agentPosing.port(), otherDeployment.port(), replica.port()))) {
      agent.start();
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(replica.reports).hasSizeGreaterThanOrEqualTo(2);
        assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
            .anySatisfy(m -> assertThat(m).contains("replica 127.0.0.1:" + agentPosing.port())
                .contains("(spiffe://acme-voice/region/us-west/agent/us-west-a) is not a control-plane replica of deployment acme-voice"))
            .anySatisfy(m -> assertThat(m).contains("replica 127.0.0.1:" + otherDeployment.port())
                .contains("(spiffe://other-voice/replica/cp-1) is not a control-plane replica of deployment acme-voice"));
      });
      assertThat(agentPosing.senders).isEmpty();
      assertThat(otherDeployment.senders).isEmpty();
    } finally {
      senderLog.detachAppender(log);
    }
  }

  private CertificateAuthority.Issued.PemFiles issue(SpiffeId id, String name) {
    return ca.issue(CertificateAuthority.LeafSpec.loopback(name, id.toUri(), now, Duration.ofDays(1))).written(dir, name);
  }

  // The SIP probe's target is a closed loopback port: the dependency is DOWN, the reports flow all the same.
  private static AgentConfig agentConfig(CertificateAuthority.Issued.PemFiles agentFiles, Path trust, int... ports) {
    String replicas = java.util.Arrays.stream(ports).mapToObj(p -> "\"127.0.0.1:" + p + "\"")
        .collect(java.util.stream.Collectors.joining(", "));
    return AgentConfig.loader(Map.of()).parse("agent.yaml", """
        deployment: acme-voice
        region: us-east
        agentId: us-east-a
        reportInterval: 200ms
        http: { port: 0 }
        controlPlane:
          replicas: [%s]
          reconnectInitial: 50ms
          reconnectMax: 500ms
          tls: { certificate: "%s", key: "%s", trustBundle: "%s" }
        probes:
          - { name: carrier, interval: 500ms, timeout: 200ms, degradedAbove: 100ms, sip: { uri: "sip:127.0.0.1:9;transport=tcp" } }
        """.formatted(replicas, agentFiles.certificateChain(), agentFiles.privateKey(), trust));
  }

  /** A loopback AgentService over mTLS with {@code files} as its certificate, recording who reported what. */
  private static final class RecordingServer implements AutoCloseable {
    final List<String> senders = new CopyOnWriteArrayList<>();
    final List<HealthReport> reports = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService reloads = Executors.newSingleThreadScheduledExecutor();
    private final TransportSecurity security;
    private final Server server;

    RecordingServer(CertificateAuthority.Issued.PemFiles files, Path trust) throws java.io.IOException {
      security = TransportSecurity.mutualTls(
          new TlsFiles(files.certificateChain(), files.privateKey(), trust, Duration.ofSeconds(30)), reloads, true);
      server = Grpc.newServerBuilderForPort(0, security.serverCredentials())
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
    }

    int port() {
      return server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      security.close();
      reloads.shutdownNow();
    }
  }
}
