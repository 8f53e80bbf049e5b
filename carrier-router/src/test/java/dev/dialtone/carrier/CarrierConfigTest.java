package dev.dialtone.carrier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.carrier.fallback.FallbackConfig;
import dev.dialtone.carrier.kamailio.KamailioConfig;
import dev.dialtone.carrier.kamailio.KamailioDispatcherActuator;
import dev.dialtone.carrier.twilio.TwilioConfig;
import dev.dialtone.carrier.twilio.TwilioTrunkActuator;
import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Problem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The carrier sections as the replica file holds them: a {@code carrier:} list of entries named by
 * kind, and the {@code fallback:} section; the factory makes one actuator per entry.
 */
class CarrierConfigTest {
  /** The two sections of a replica file this module provides, as the replica's config binds them. */
  record Replica(List<@NotNull @Valid CarrierConfig> carrier, @Valid FallbackConfig fallback) {}

  private static final Map<String, String> ENV = Map.of("KAMAILIO_RPC_TOKEN", "tok", "TWILIO_API_SECRET", "sec");
  private final ConfigLoader<Replica> loader = ConfigLoader.of(Replica.class, ENV);

  static final String YAML = """
      carrier:
        - kamailio:
            rpcUrl: "http://10.0.0.5:5071/RPC"
            rpcToken: "env:KAMAILIO_RPC_TOKEN"
            database: { jdbcUrl: "jdbc:postgresql://db.example.com:5432/kamailio", user: dialtone }
        - twilio:
            accountSid: AC00000000000000000000000000000000
            trunkSid: TK11111111111111111111111111111111
            apiKeySid: SK22222222222222222222222222222222
            apiKeySecret: "env:TWILIO_API_SECRET"
      fallback:
        destinations:
          - queue: "sip:support@pbx.example.com"
          - pstn: "+15551230000"
          - voicemail: "sip:vm@pbx.example.com"
        perNumber:
          "+15557654321": [ { voicemail: "sip:vip-vm@pbx.example.com" } ]
        pstnGateway: "gw.example.com:5060"
      """;

  private List<String> problems(String yaml) {
    try {
      loader.parse("cp.yaml", yaml);
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    return List.of();
  }

  @Test
  void eachEntryIsNamedByItsKind() {
    Replica replica = loader.parse("cp.yaml", YAML);

    assertThat(replica.carrier()).hasSize(2);
    assertThat(replica.carrier().get(0)).isInstanceOf(KamailioConfig.class);
    assertThat(replica.carrier().get(1)).isInstanceOf(TwilioConfig.class);
    assertThat(replica.carrier()).extracting(CarrierConfig::actuatorName).containsExactly("carrier/kamailio", "carrier/twilio");
    assertThat(replica.fallback().plan().destinations()).hasSize(3);
  }

  @Test
  void theFactoryMakesOneActuatorPerEntryWithoutKnowingTheClasses() throws Exception {
    Replica replica = loader.parse("cp.yaml", YAML);

    List<TrafficActuator> actuators = replica.carrier().stream()
        .map(c -> CarrierActuators.create(c, replica.fallback().plan(), EpochGuard.none(), Clock.systemUTC())).toList();
    try {
      assertThat(actuators).extracting(TrafficActuator::name).containsExactly("carrier/kamailio", "carrier/twilio");
      assertThat(actuators.get(0)).isInstanceOf(KamailioDispatcherActuator.class);
      assertThat(actuators.get(1)).isInstanceOf(TwilioTrunkActuator.class);
    } finally {
      for (TrafficActuator a : actuators) {
        ((AutoCloseable) a).close();
      }
    }
  }

  @Test
  void anUnknownOrMissingKindIsNamed() {
    assertThat(problems("carrier: [ { kamailo: {} } ]\n")).singleElement().asString()
        .isEqualTo("cp.yaml:1: carrier[0]: unknown kind 'kamailo' (did you mean 'kamailio'?)");
    assertThat(problems("""
        carrier:
          - kamailio:
              rpcUrl: "http://10.0.0.5:5071/RPC"
        """)).containsExactly(
            "cp.yaml:2: carrier[0].database: is required: the PostgreSQL database Kamailio loads its dispatcher and htable from",
            "cp.yaml:2: carrier[0].rpcToken: is required: the bearer token of Kamailio's DIALTONE_RPC_TOKEN, as file:/path or env:NAME");
  }
}
