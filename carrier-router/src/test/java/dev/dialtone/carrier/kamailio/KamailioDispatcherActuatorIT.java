package dev.dialtone.carrier.kamailio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.testing.ZooKeeperEpochGuard;
import dev.dialtone.testkit.PeerExtension;
import dev.dialtone.testkit.kamailio.KamailioServer;
import dev.dialtone.testkit.sipp.SippUac;
import dev.dialtone.testkit.sipp.SippUas;
import dev.dialtone.testkit.zookeeper.ZooKeeperEnsemble;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The real call path: SIPp UAC → Kamailio (dispatcher) → one SIPp UAS per region or fallback. */
class KamailioDispatcherActuatorIT {
  @RegisterExtension @Order(1) static final PeerExtension<ZooKeeperEnsemble> zk = PeerExtension.of(ZooKeeperEnsemble::new);
  @RegisterExtension @Order(2) static final PeerExtension<SippUas> east = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(3) static final PeerExtension<SippUas> west = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(4) static final PeerExtension<SippUas> queue = PeerExtension.of(SippUas::new);
  @RegisterExtension @Order(5) static final PeerExtension<SippUas> voicemail = PeerExtension.of(SippUas::new);

  @RegisterExtension
  @Order(6)
  static final PeerExtension<KamailioServer> kamailio =
      PeerExtension.of(dir -> new KamailioServer(dir, 1, List.of(east.peer().sipUri(), west.peer().sipUri())));

  private static final String VIP = "+15557654321";
  private static CuratorFramework client;
  private static ZooKeeperEpochGuard guard;
  private static KamailioDispatcherActuator actuator;
  private static long epoch = 10;

  @TempDir Path uacDir;

  @BeforeAll
  static void connect() throws Exception {
    client = zk.peer().newClient();
    client.start();
    guard = new ZooKeeperEpochGuard(client, "acme");
    guard.set(epoch);
    FallbackPlan fallback = new FallbackPlan(
        List.of(FallbackDestination.queue(queue.peer().sipUri()), FallbackDestination.voicemail(voicemail.peer().sipUri())),
        Map.of(VIP, List.of(FallbackDestination.voicemail(voicemail.peer().sipUri()))));
    actuator = new KamailioDispatcherActuator(
        KamailioConfig.of(URI.create(kamailio.peer().rpcUrl()), 1, kamailio.peer().listFile(), fallback), guard);
  }

  @AfterAll
  static void disconnect() {
    actuator.close();
    client.close();
  }

  @BeforeEach
  void newTerm() throws Exception {
    epoch++;
    guard.set(epoch);
  }

  private static RegionEdge edge(String id, SippUas uas) {
    return new RegionEdge(id, List.of("127.0.0.1"), List.of(), URI.create(uas.sipUri()), null);
  }

  private static TrafficTarget.Routed routed(String first) {
    return first.equals("us-east")
        ? new TrafficTarget.Routed(List.of(edge("us-east", east.peer()), edge("us-west", west.peer())))
        : new TrafficTarget.Routed(List.of(edge("us-west", west.peer()), edge("us-east", east.peer())));
  }

  private SippUac.Result call(int calls) {
    return new SippUac(uacDir).call(kamailio.peer().sipPort(), calls, 50, Duration.ofSeconds(30));
  }

  @Test
  void shiftSendsNewInvitesToTheNewActiveRegionWithoutFailingCalls() throws Exception {
    actuator.apply(epoch, "plan-east", routed("us-east"));
    long eastBefore = east.peer().answeredCalls();
    assertThat(call(5).failed()).isZero();
    assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore + 5);

    long westBefore = west.peer().answeredCalls();
    Instant shifted;
    SippUac.Result during;
    try (SippUac.Calls running = new SippUac(uacDir).start(kamailio.peer().sipPort(), 60, 30)) {
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> running.soFar().answered() >= 20);
      shifted = Instant.now();
      actuator.apply(epoch, "plan-west", routed("us-west"));
      during = running.await(Duration.ofSeconds(30));
    }

    assertThat(during.placed()).isEqualTo(60);
    assertThat(during.failed()).as("calls failed during the shift").isZero();
    List<Instant> westAnswers = west.peer().answeredAt().subList((int) westBefore, (int) west.peer().answeredCalls());
    assertThat(westAnswers).isNotEmpty().allMatch(t -> t.isAfter(shifted));
    assertThat(east.peer().answeredAt()).filteredOn(t -> t.isAfter(shifted.plusMillis(500))).isEmpty();

    ObservedRouting seen = actuator.read();
    assertThat(seen.regionIds()).containsExactly("us-west", "us-east");
    assertThat(seen.ownerEpoch()).isEqualTo(epoch);
    assertThat(Files.readString(kamailio.peer().listFile())).startsWith("# dialtone carrier routing: epoch=" + epoch + " plan=plan-west mode=routed");
  }

  @Test
  void outageModeReachesTheFallbackChainInOrderAndBlocksOutboundCalls() throws Exception {
    actuator.apply(epoch, "plan-outage", new TrafficTarget.Outage());
    assertThat(actuator.read().outageMode()).isTrue();
    long queued = queue.peer().answeredCalls();
    long eastBefore = east.peer().answeredCalls();
    long westBefore = west.peer().answeredCalls();

    assertThat(call(5).failed()).isZero();
    assertThat(queue.peer().answeredCalls()).isEqualTo(queued + 5);

    queue.peer().setMode(SippUas.Mode.SERVICE_UNAVAILABLE);
    try {
      long voicemailBefore = voicemail.peer().answeredCalls();
      assertThat(call(5).failed()).isZero();
      assertThat(voicemail.peer().answeredCalls()).isEqualTo(voicemailBefore + 5);
    } finally {
      queue.peer().setMode(SippUas.Mode.OK);
    }
    // A number with its own chain goes straight to voicemail.
    long vipBefore = voicemail.peer().answeredCalls();
    long queuedBefore = queue.peer().answeredCalls();
    assertThat(new SippUac(uacDir).calling(VIP).call(kamailio.peer().sipPort(), 3, 50, Duration.ofSeconds(30)).failed()).isZero();
    assertThat(voicemail.peer().answeredCalls()).isEqualTo(vipBefore + 3);
    assertThat(queue.peer().answeredCalls()).isEqualTo(queuedBefore);
    assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore);
    assertThat(west.peer().answeredCalls()).isEqualTo(westBefore);

    // Outbound calling is blocked: an agent's call to a carrier number gets 403 and reaches nobody.
    String carrier = voicemail.peer().sipUri().replace("sip:uas@", "sip:+15550001111@");
    long carrierBefore = voicemail.peer().answeredCalls();
    assertThat(new SippUac(uacDir).dialing(carrier).call(kamailio.peer().sipPort(), 1, 50, Duration.ofSeconds(30)).answered()).isZero();
    assertThat(voicemail.peer().answeredCalls()).isEqualTo(carrierBefore);

    actuator.apply(epoch, "plan-recover", routed("us-east"));
    assertThat(actuator.read().outageMode()).isFalse();
    assertThat(new SippUac(uacDir).dialing(carrier).call(kamailio.peer().sipPort(), 1, 50, Duration.ofSeconds(30)).failed()).isZero();
    assertThat(voicemail.peer().answeredCalls()).isEqualTo(carrierBefore + 1);
    assertThat(new SippUac(uacDir).calling(VIP).call(kamailio.peer().sipPort(), 2, 50, Duration.ofSeconds(30)).failed()).isZero();
    assertThat(east.peer().answeredCalls()).isEqualTo(eastBefore + 2);
  }

  @Test
  void rpcDownIsATransientErrorNamingTheUrlAndTheSamePlanResumes() throws Exception {
    kamailio.peer().stop();
    try {
      assertThatThrownBy(() -> actuator.apply(epoch, "plan-resume", routed("us-west")))
          .isInstanceOfSatisfying(ActuationException.class, e -> {
            assertThat(e.failure()).isEqualTo(ActuationException.Failure.TRANSIENT);
            assertThat(e.getMessage()).contains(kamailio.peer().rpcUrl()).contains("dispatcher.reload");
          });
    } finally {
      kamailio.peer().start();
    }

    actuator.apply(epoch, "plan-resume", routed("us-west"));
    actuator.verify(epoch, routed("us-west"));
    long westBefore = west.peer().answeredCalls();
    assertThat(call(3).failed()).isZero();
    assertThat(west.peer().answeredCalls()).isEqualTo(westBefore + 3);
  }

  @Test
  void staleEpochIsRefusedBeforeAnythingChanges() throws Exception {
    actuator.apply(epoch, "plan-current", routed("us-east"));
    String listBefore = Files.readString(kamailio.peer().listFile(), StandardCharsets.UTF_8);
    ObservedRouting liveBefore = actuator.read();
    int checksBefore = guard.checks();

    // A stalled leader of an older term wakes up with an old plan.
    assertThatThrownBy(() -> actuator.apply(epoch - 1, "plan-stale", routed("us-west")))
        .isInstanceOfSatisfying(FencedException.class, e -> assertThat(e.ownerEpoch()).isEqualTo(epoch));
    // The list records a newer term than the caller's even when the guard has not seen it yet.
    guard.set(epoch - 1);
    assertThatThrownBy(() -> actuator.apply(epoch - 1, "plan-stale", routed("us-west")))
        .isInstanceOfSatisfying(FencedException.class, e -> assertThat(e.ownerEpoch()).isEqualTo(epoch));
    guard.set(epoch);

    assertThat(guard.checks()).isEqualTo(checksBefore + 2);
    assertThat(Files.readString(kamailio.peer().listFile(), StandardCharsets.UTF_8)).isEqualTo(listBefore);
    ObservedRouting liveAfter = actuator.read();
    assertThat(liveAfter.regionIds()).isEqualTo(liveBefore.regionIds()).containsExactly("us-east", "us-west");
    assertThat(liveAfter.ownerEpoch()).isEqualTo(epoch);
  }
}
