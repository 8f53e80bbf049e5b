package dev.dialtone.controlplane.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dialtone.actuation.Sleeper;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.notify.Dispatcher;
import dev.dialtone.notify.config.NotifySection;
import dev.dialtone.notify.testing.HttpReceiverStandIn;
import dev.dialtone.security.pki.CertificateAuthority;
import dev.dialtone.security.identity.SpiffeId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notices a replica sends straight to the receivers (a local webhook stand-in, checked against
 * the payload schema): its certificate close to expiry, once (real certificates from a throwaway
 * CA), and a plan of its that ended FENCED.
 */
class DirectNoticesIT {
  static final Instant NOW = Instant.now();
  @TempDir Path dir;
  HttpReceiverStandIn hook;
  Dispatcher dispatcher;
  CertificateAuthority ca;

  @BeforeEach
  void setUp() throws Exception {
    hook = HttpReceiverStandIn.start(HttpReceiverStandIn.webhook());
    NotifySection section = ConfigLoader.of(NotifySection.class, Map.of("HOOK_URL", hook.uri("/hooks/dialtone").toString()))
        .parse("notify.yaml", "receivers: [{ name: hook, webhook: { url: \"env:HOOK_URL\" } }]\n");
    dispatcher = new Dispatcher(section.receivers("cp-1"), section.settings(), Clock.systemUTC(), Sleeper.system(),
        new SecureRandom());
    ca = CertificateAuthority.create("certificate-notice-it", NOW.minusSeconds(60), Duration.ofDays(365), new SecureRandom());
  }

  @AfterEach
  void tearDown() {
    dispatcher.close();
    hook.close();
  }

  private Path certificate(String name, Duration validity) {
    return ca.issue(CertificateAuthority.LeafSpec.loopback(name, SpiffeId.replica("acme-voice", name).toUri(),
        NOW.minusSeconds(60), validity)).written(dir, name).certificateChain();
  }

  @Test
  void aCertificateWithinTheWarningIsToldOnceAndOneWithTimeLeftIsNot() throws Exception {
    CertificateNotice soon = new CertificateNotice("acme-voice", "cp-1", certificate("cp-1", Duration.ofDays(5)),
        CertificateNotice.WARN_BEFORE, dispatcher, Clock.systemUTC());
    CertificateNotice later = new CertificateNotice("acme-voice", "cp-2", certificate("cp-2", Duration.ofDays(90)),
        CertificateNotice.WARN_BEFORE, dispatcher, Clock.systemUTC());

    later.check();
    soon.check();
    soon.check(); // the next hourly check: already told

    await().atMost(Duration.ofSeconds(10)).until(() -> !hook.taken().isEmpty());
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> hook.taken().size() == 1);
    var body = hook.taken().getFirst().body();
    assertThat(body.get("kind").asText()).isEqualTo("certificate.expiring");
    assertThat(body.get("summary").asText()).startsWith("the certificate of replica cp-1 (").contains("expires on ");
    assertThat(body.get("details").get("replica").asText()).isEqualTo("cp-1");
  }

  @Test
  void aPlanThatEndedFencedIsToldByTheReplicaWhoseWritesWereRefused() {
    var edge = new dev.dialtone.actuation.RegionEdge("us-west", java.util.List.of("198.51.100.20"), java.util.List.of(),
        java.net.URI.create("sip:w.example.com"), null);
    var plan = dev.dialtone.controlplane.plan.Plan.create("e3-7", 3, new dev.dialtone.actuation.TrafficTarget.Routed(
        java.util.List.of(edge)), "us-east DOWN", "policy", true, java.util.List.of("dns/rfc2136"), NOW);
    var fenced = plan.withStep(0, new dev.dialtone.controlplane.plan.PlanStep(plan.steps().get(0).name(), "dns/rfc2136",
        dev.dialtone.controlplane.plan.PlanState.FENCED, 1, "owner epoch 4 is newer than 3"))
        .withState(dev.dialtone.controlplane.plan.PlanState.FENCED);
    FencedWriteNotice notice = new FencedWriteNotice("acme-voice", "cp-2", dispatcher);

    notice.ended(plan.withState(dev.dialtone.controlplane.plan.PlanState.SUCCEEDED), NOW);
    notice.ended(fenced, NOW);

    await().atMost(Duration.ofSeconds(10)).until(() -> !hook.taken().isEmpty());
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> hook.taken().size() == 1);
    var body = hook.taken().getFirst().body();
    assertThat(body.get("kind").asText()).isEqualTo("fenced.write.refused");
    assertThat(body.get("planId").asText()).isEqualTo("e3-7");
    assertThat(body.get("summary").asText()).isEqualTo("cp-2's writes for plan e3-7 (epoch 3) were refused: a newer leader"
        + " owns the targets (dns/rfc2136: owner epoch 4 is newer than 3)");
  }
}
