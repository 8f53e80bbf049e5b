package dev.dialtone.carrier.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.fallback.RingMode;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.peers.twilio.TwilioApiStandIn;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONTRACT TEST: the Twilio actuator against {@link TwilioApiStandIn}, a local HTTP server that
 * checks requests and answers with the shapes Twilio documents — not against Twilio itself.
 */
class TwilioTrunkActuatorContractTest {
  private static final String ACCOUNT = "AC" + "0123456789abcdef".repeat(2);
  private static final String TRUNK = "TK" + "fedcba9876543210".repeat(2);
  private static final String KEY = "SK" + "11111111".repeat(4);
  private static final String SECRET = "s3cr3t-never-logged";
  private static final String OVERRIDDEN = "PN" + "22222222".repeat(4);

  @TempDir Path dir;
  private TwilioApiStandIn twilio;
  private TwilioTrunkActuator actuator;
  private final AtomicLong currentEpoch = new AtomicLong(5);

  private final EpochGuard guard = epoch -> {
    if (currentEpoch.get() > epoch) {
      throw new FencedException("epoch-guard", epoch, currentEpoch.get());
    }
  };

  @BeforeEach
  void start() throws Exception {
    twilio = new TwilioApiStandIn(ACCOUNT, TRUNK, KEY, SECRET);
    twilio.addNumber(OVERRIDDEN, "+15557654321");
    actuator = actuator(SECRET, twilio.url());
  }

  private TwilioTrunkActuator actuator(String secret, URI url) throws Exception {
    Path file = Files.writeString(dir.resolve("twilio-" + secret.hashCode() + ".secret"), secret + "\n");
    TwilioConfig config = ConfigLoader.of(TwilioConfig.class, Map.of()).parse("cp.yaml", """
        accountSid: %s
        trunkSid: %s
        apiKeySid: %s
        apiKeySecret: "file:%s"
        trunkingApi: "%s"
        restApi: "%s"
        numbers: [ { sid: %s, number: "+15557654321", outageVoiceUrl: "https://fallback.example.com/twiml/vip" } ]
        """.formatted(ACCOUNT, TRUNK, KEY, file, url, url, OVERRIDDEN));
    FallbackPlan fallback = new FallbackPlan(
        List.of(FallbackDestination.queue("sip:support@pbx.example.com"), FallbackDestination.pstn("+15551230000")),
        Map.of(), RingMode.SEQUENTIAL, "gw.example.com:5060");
    return new TwilioTrunkActuator(config, fallback, guard);
  }

  @AfterEach
  void stop() {
    actuator.close();
    twilio.close();
  }

  private static TrafficTarget.Routed routed(String... regions) {
    return new TrafficTarget.Routed(java.util.Arrays.stream(regions)
        .map(r -> new RegionEdge(r, List.of(), List.of(), URI.create("sip:edge." + r + ".example.com:5060"), null)).toList());
  }

  private List<ObjectNode> enabledByPriority() {
    return twilio.originationUrls().stream().filter(n -> n.get("enabled").asBoolean())
        .sorted(java.util.Comparator.comparingInt(n -> n.get("priority").asInt())).toList();
  }

  @Test
  void routingCreatesOriginationUrlsActiveFirstAndAShiftUpdatesThemInPlace() throws Exception {
    String manual = twilio.addOriginationUrl("ops manual entry", "sip:ops.example.com", 5);
    actuator.apply(5, "plan-1", routed("us-east", "us-west"));

    assertThat(enabledByPriority()).extracting(n -> n.get("friendly_name").asText()).containsExactly(
        "ops manual entry", "dialtone:us-east:5:plan-1", "dialtone:us-west:5:plan-1");
    ObjectNode east = enabledByPriority().get(1);
    assertThat(east.get("sip_url").asText()).isEqualTo("sip:edge.us-east.example.com:5060");
    assertThat(east.get("priority").asInt()).isEqualTo(10);
    assertThat(east.get("weight").asInt()).isEqualTo(10);
    assertThat(twilio.number(OVERRIDDEN).get("trunk_sid").asText()).isEqualTo(TRUNK);

    currentEpoch.set(6);
    actuator.apply(6, "plan-2", routed("us-west", "us-east"));

    assertThat(twilio.originationUrls()).hasSize(3);
    assertThat(enabledByPriority()).extracting(n -> n.get("friendly_name").asText()).containsExactly(
        "ops manual entry", "dialtone:us-west:6:plan-2", "dialtone:us-east:6:plan-2");
    assertThat(twilio.originationUrls()).filteredOn(n -> n.get("sid").asText().equals(manual))
        .singleElement().satisfies(n -> assertThat(n.get("priority").asInt()).isEqualTo(5));
    ObservedRouting seen = actuator.read();
    assertThat(seen.regionIds()).containsExactly("us-west", "us-east");
    assertThat(seen.ownerEpoch()).isEqualTo(6);
  }

  @Test
  void reapplyingTheSameTargetSendsNoWrites() throws Exception {
    actuator.apply(5, "plan-1", routed("us-east", "us-west"));
    int before = twilio.requests().size();

    actuator.apply(5, "plan-1", routed("us-east", "us-west"));

    assertThat(twilio.requests().subList(before, twilio.requests().size()))
        .filteredOn(r -> r.method().equals("POST") && r.path().contains("OriginationUrls")).isEmpty();
  }

  @Test
  void outageRoutesTheTrunkToTheFallbackChainAndDetachesNumbersWithTheirOwnChain() throws Exception {
    actuator.apply(5, "plan-1", routed("us-east", "us-west"));
    actuator.apply(5, "plan-outage", new TrafficTarget.Outage());

    assertThat(enabledByPriority()).extracting(n -> n.get("sip_url").asText())
        .containsExactly("sip:support@pbx.example.com", "sip:+15551230000@gw.example.com:5060");
    ObjectNode vip = twilio.number(OVERRIDDEN);
    assertThat(vip.get("trunk_sid").isNull()).isTrue();
    assertThat(vip.get("voice_url").asText()).isEqualTo("https://fallback.example.com/twiml/vip");
    assertThat(actuator.read().outageMode()).isTrue();

    actuator.apply(5, "plan-recover", routed("us-west"));

    assertThat(enabledByPriority()).extracting(n -> n.get("friendly_name").asText()).containsExactly("dialtone:us-west:5:plan-recover");
    assertThat(twilio.number(OVERRIDDEN).get("trunk_sid").asText()).isEqualTo(TRUNK);
    assertThat(actuator.read().outageMode()).isFalse();
  }

  @Test
  void aStaleEpochIsRefusedBeforeAnyWrite() throws Exception {
    currentEpoch.set(9);
    actuator.apply(9, "plan-9", routed("us-east"));
    int before = twilio.requests().size();

    // The guard knows the newer term: nothing is even read.
    assertThatThrownBy(() -> actuator.apply(8, "plan-8", routed("us-west"))).isInstanceOf(FencedException.class);
    assertThat(twilio.requests()).hasSize(before);

    // The guard lags, but the trunk records epoch 9: one read, no write.
    currentEpoch.set(0);
    assertThatThrownBy(() -> actuator.apply(8, "plan-8", routed("us-west")))
        .isInstanceOfSatisfying(FencedException.class, e -> assertThat(e.ownerEpoch()).isEqualTo(9));
    assertThat(twilio.requests().subList(before, twilio.requests().size())).extracting(TwilioApiStandIn.Request::method).containsExactly("GET");
  }

  @Test
  void errorsAreClassifiedAndNameTheUrlButNeverTheSecret() throws Exception {
    twilio.failNext(503);
    assertThatThrownBy(() -> actuator.read()).isInstanceOfSatisfying(ActuationException.class, e -> {
      assertThat(e.failure()).isEqualTo(ActuationException.Failure.TRANSIENT);
      assertThat(e.getMessage()).contains(twilio.url().toString()).contains("HTTP 503");
    });
    twilio.failNext(429);
    assertThatThrownBy(() -> actuator.apply(5, "p", routed("us-east")))
        .isInstanceOfSatisfying(ActuationException.class, e -> assertThat(e.failure()).isEqualTo(ActuationException.Failure.TRANSIENT));

    try (TwilioTrunkActuator wrongKey = actuator("wrong", twilio.url())) {
      assertThatThrownBy(wrongKey::read).isInstanceOfSatisfying(ActuationException.class, e -> {
        assertThat(e.failure()).isEqualTo(ActuationException.Failure.PERMANENT);
        assertThat(e.getMessage()).contains("HTTP 401").contains("20003").doesNotContain("wrong").doesNotContain(SECRET);
      });
    }
    URI closed = twilio.url();
    twilio.close();
    assertThatThrownBy(() -> actuator.read()).isInstanceOfSatisfying(ActuationException.class, e -> {
      assertThat(e.failure()).isEqualTo(ActuationException.Failure.TRANSIENT);
      assertThat(e.getMessage()).contains(closed.toString()).doesNotContain(SECRET);
    });
  }

  @Test
  void readFollowsPagination() throws Exception {
    twilio.maxPageSize(1);
    actuator.apply(5, "plan-1", routed("us-east", "us-west", "eu-west"));

    assertThat(actuator.read().regionIds()).containsExactly("us-east", "us-west", "eu-west");
    assertThat(twilio.requests()).filteredOn(r -> r.method().equals("GET")).hasSizeGreaterThanOrEqualTo(6);
  }
}
