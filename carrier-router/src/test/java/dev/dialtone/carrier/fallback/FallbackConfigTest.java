package dev.dialtone.carrier.fallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The replica file's {@code fallback:} section, bound from YAML: defaults, the plan, each rule. */
class FallbackConfigTest {
  private final ConfigLoader<FallbackConfig> loader = ConfigLoader.of(FallbackConfig.class, Map.of());

  private List<String> problems(String yaml) {
    try {
      loader.parse("cp.yaml", yaml);
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    return List.of();
  }

  @Test
  void bindsTheChainsInOrderAndBuildsThePlan() {
    FallbackConfig config = loader.parse("cp.yaml", """
        destinations:
          - queue: "sip:support@pbx.example.com"
          - pstn: "+15551230000"
          - answeringService: "sips:answer@svc.example.com;transport=tls"
          - voicemail: "sip:vm@pbx.example.com"
        perNumber:
          "+15557654321": [ { voicemail: "sip:vip-vm@pbx.example.com" } ]
        ring: parallel
        pstnGateway: "gw.example.com:5060"
        """);

    FallbackPlan plan = config.plan();
    assertThat(plan.destinations()).containsExactly(
        FallbackDestination.queue("sip:support@pbx.example.com"), FallbackDestination.pstn("+15551230000"),
        FallbackDestination.answeringService("sips:answer@svc.example.com;transport=tls"),
        FallbackDestination.voicemail("sip:vm@pbx.example.com"));
    assertThat(plan.chainFor("+15557654321")).containsExactly(FallbackDestination.voicemail("sip:vip-vm@pbx.example.com"));
    assertThat(plan.chainFor("+15550000000")).isEqualTo(plan.destinations());
    assertThat(plan.ring()).isEqualTo(RingMode.PARALLEL);
    assertThat(plan.sipUri(plan.destinations().get(1))).isEqualTo("sip:+15551230000@gw.example.com:5060");
  }

  @Test
  void defaults() {
    FallbackConfig config = loader.parse("cp.yaml", "destinations: [ { voicemail: \"sip:vm@pbx.example.com\" } ]\n");

    assertThat(config.ring()).isEqualTo(RingMode.SEQUENTIAL);
    assertThat(config.perNumber()).isEmpty();
    assertThat(config.pstnGateway()).isNull();
    assertThat(config.plan().ring()).isEqualTo(RingMode.SEQUENTIAL);
  }

  @Test
  void eachRuleNamesItsField() {
    assertThat(problems("ring: sequential\n")).containsExactly(
        "cp.yaml:1: destinations: at least one destination is required: outage mode needs somewhere to send callers");
    assertThat(problems("""
        destinations:
          - queue: "http://pbx.example.com"
          - pstn: "555-1234"
          - {}
          - { queue: "sip:q@pbx.example.com", voicemail: "sip:vm@pbx.example.com" }
        pstnGateway: gw.example.com
        """)).containsExactly(
            "cp.yaml:2: destinations[0].queue: 'http://pbx.example.com' is refused: must be a sip: or sips: URI with a host (e.g. sip:edge.example.com:5060)",
            "cp.yaml:3: destinations[1].pstn: must be an E.164 number (e.g. +15551230000)",
            "cp.yaml:4: destinations[2]: needs one of queue, pstn, answeringService, voicemail",
            "cp.yaml:5: destinations[3]: needs exactly one of queue, pstn, answeringService, voicemail (found 2)");
  }

  @Test
  void aPstnDestinationNeedsAGatewayAndTheGatewayIsHostOrHostPort() {
    assertThat(problems("destinations: [ { pstn: \"+15551230000\" } ]\n")).containsExactly(
        "cp.yaml:1: pstnGateway: is required because a fallback destination is pstn (e.g. gw.example.com:5060)");
    assertThat(problems("destinations: [ { queue: \"sip:q@pbx.example.com\" } ]\nperNumber: { \"+15557654321\": [ { pstn: \"+15551230000\" } ] }\n"))
        .containsExactly("cp.yaml:1: pstnGateway: is required because a fallback destination is pstn (e.g. gw.example.com:5060)");
    assertThat(problems("destinations: [ { pstn: \"+15551230000\" } ]\npstnGateway: \"gw example\"\n")).containsExactly(
        "cp.yaml:2: pstnGateway: 'gw example' is refused: must be host or host:port (e.g. gw.example.com:5060)");
    assertThat(problems("destinations: [ { pstn: \"+15551230000\" } ]\npstnGateway: gw.example.com\n")).isEmpty();
  }

  @Test
  void perNumberKeysAreE164AndEachChainIsChecked() {
    assertThat(problems("""
        destinations: [ { queue: "sip:q@pbx.example.com" } ]
        perNumber:
          "5551234": [ { voicemail: "sip:vm@pbx.example.com" } ]
          "+15557654321": []
          "+15557654322": [ { voicemail: "mailto:vm@example.com" } ]
        """)).containsExactlyInAnyOrder(
            // Map entries are named by key; their line is the map's (the loader indexes lines by field path).
            "cp.yaml:2: perNumber[5551234]: '5551234' is refused: must be an E.164 number (e.g. +15551230000)",
            "cp.yaml:2: perNumber[+15557654321]: at least one destination is required",
            "cp.yaml:2: perNumber[+15557654322][0].voicemail: 'mailto:vm@example.com' is refused: must be a sip: or sips: URI with a host (e.g. sip:edge.example.com:5060)");
  }

  @Test
  void ringIsSequentialOrParallel() {
    assertThat(problems("destinations: [ { queue: \"sip:q@pbx.example.com\" } ]\nring: all\n")).singleElement().asString()
        .startsWith("cp.yaml:2: ring: must be one of sequential, parallel");
  }
}
