package dev.dialtone.carrier.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.config.ConfigException;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One {@code twilio:} entry of the replica file's {@code carrier:} list: defaults, mapping, each rule. */
class TwilioConfigTest {
  private static final String ACCOUNT = "AC" + "0".repeat(32);
  private static final String TRUNK = "TK" + "1".repeat(32);
  private static final String KEY = "SK" + "2".repeat(32);
  private static final String NUMBER = "PN" + "a".repeat(32);
  private final ConfigLoader<TwilioConfig> loader = ConfigLoader.of(TwilioConfig.class, Map.of("TWILIO_API_SECRET", "topsecret"));

  private static final String MINIMAL = "accountSid: " + ACCOUNT + "\ntrunkSid: " + TRUNK + "\napiKeySid: " + KEY
      + "\napiKeySecret: \"env:TWILIO_API_SECRET\"\n";

  @TempDir Path dir;

  private List<String> problems(String yaml) {
    try {
      loader.parse("cp.yaml", yaml);
    } catch (ConfigException e) {
      return e.problems().stream().map(Problem::toString).toList();
    }
    return List.of();
  }

  @Test
  void defaults() {
    TwilioConfig config = loader.parse("cp.yaml", MINIMAL);

    assertThat(config.actuatorName()).isEqualTo("carrier/twilio");
    assertThat(config.trunkingApi()).isEqualTo("https://trunking.twilio.com");
    assertThat(config.restApi()).isEqualTo("https://api.twilio.com");
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.weight()).isEqualTo(10);
    assertThat(config.numbers()).isEmpty();
    assertThat(config.apiKeySecret().reveal()).isEqualTo("topsecret");
    assertThat(config.toString()).doesNotContain("topsecret");
  }

  @Test
  void bindsEveryFieldAndTheNumbers() throws Exception {
    Path secret = Files.writeString(dir.resolve("twilio.secret"), "from-a-file\n");
    TwilioConfig config = loader.parse("cp.yaml", """
        name: trunk-a
        accountSid: %s
        trunkSid: %s
        apiKeySid: %s
        apiKeySecret: "file:%s"
        trunkingApi: "http://127.0.0.1:8080"
        restApi: "http://127.0.0.1:8081"
        requestTimeout: 2s
        weight: 20
        numbers:
          - { sid: %s, number: "+15557654321", outageVoiceUrl: "https://fallback.example.com/twiml/vip" }
        """.formatted(ACCOUNT, TRUNK, ACCOUNT, secret, NUMBER));

    assertThat(config.actuatorName()).isEqualTo("carrier/trunk-a");
    assertThat(config.apiKeySid()).isEqualTo(ACCOUNT);
    assertThat(config.apiKeySecret().reveal()).isEqualTo("from-a-file");
    assertThat(config.trunkingApiUri().getPort()).isEqualTo(8080);
    assertThat(config.weight()).isEqualTo(20);
    assertThat(config.numbers()).containsExactly(
        new TwilioNumber(NUMBER, "+15557654321", "https://fallback.example.com/twiml/vip", null));
  }

  @Test
  void eachRuleNamesItsField() {
    assertThat(problems("accountSid: AC1\ntrunkSid: TK1\napiKeySid: XX1\n")).containsExactly(
        "cp.yaml:1: accountSid: must be an account SID (AC + 32 hex digits)",
        "cp.yaml:1: apiKeySecret: is required: the API key's secret, as file:/path or env:NAME",
        "cp.yaml:2: trunkSid: must be a trunk SID (TK + 32 hex digits)",
        "cp.yaml:3: apiKeySid: must be an API key SID (SK + 32 hex digits) or the account SID");
    assertThat(problems(MINIMAL + "trunkingApi: \"ftp://x\"\nrequestTimeout: 0s\nweight: 70000\n")).containsExactly(
        "cp.yaml:5: trunkingApi: 'ftp://x' is refused: must be an http:// or https:// URL with a host",
        "cp.yaml:6: requestTimeout: '0s' is refused: must be a positive duration (e.g. 500ms, 5s)",
        "cp.yaml:7: weight: must be 1..65535");
    assertThat(problems(MINIMAL + "weight: 0\n")).containsExactly("cp.yaml:5: weight: must be 1..65535");
  }

  @Test
  void numbersAreValidatedByField() {
    assertThat(problems(MINIMAL + """
        numbers:
          - { sid: PN1, number: "+15551230000", outageVoiceUrl: "https://x.example.com/t" }
          - { sid: %s, number: "5551234" }
          - { sid: %s, number: "+15551230001", outageVoiceUrl: "https://x.example.com/t", outageFallbackUrl: "nope" }
        """.formatted(NUMBER, NUMBER))).containsExactly(
            "cp.yaml:6: numbers[0].sid: must be a phone number SID (PN + 32 hex digits)",
            "cp.yaml:7: numbers[1].number: must be an E.164 number (e.g. +15551230000)",
            "cp.yaml:7: numbers[1].outageVoiceUrl: is required: the TwiML URL serving this number's outage chain",
            "cp.yaml:8: numbers[2].outageFallbackUrl: 'nope' is refused: must be an http:// or https:// URL with a host",
            "cp.yaml:8: numbers[2].sid: duplicate number SID '" + NUMBER + "'");
  }

  @Test
  void theSecretIsNeverALiteral() {
    assertThat(problems(MINIMAL.replace("env:TWILIO_API_SECRET", "topsecret-pasted"))).singleElement().asString()
        .startsWith("cp.yaml:4: apiKeySecret: must be file:").doesNotContain("topsecret-pasted");
  }
}
