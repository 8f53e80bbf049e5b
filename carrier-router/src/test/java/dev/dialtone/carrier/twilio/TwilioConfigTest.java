package dev.dialtone.carrier.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TwilioConfigTest {
  private static final String ACCOUNT = "AC" + "0".repeat(32);
  private static final String TRUNK = "TK" + "1".repeat(32);
  private static final FallbackPlan QUEUE = FallbackPlan.of(FallbackDestination.queue("sip:q@pbx.example.com"));

  @TempDir Path dir;

  @Test
  void defaults() {
    TwilioConfig config = TwilioConfig.of(ACCOUNT, TRUNK, null, QUEUE, null);

    assertThat(config.trunkingApi()).isEqualTo(URI.create("https://trunking.twilio.com"));
    assertThat(config.restApi()).isEqualTo(URI.create("https://api.twilio.com"));
    assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.weight()).isEqualTo(10);
    assertThat(config.numbers()).isEmpty();
  }

  @Test
  void eachFieldIsValidatedByName() {
    assertThatThrownBy(() -> TwilioConfig.of("AC1", TRUNK, null, QUEUE, null))
        .hasMessage("carrier.provider.twilio.accountSid: 'AC1' is not an account SID (AC + 32 hex digits)");
    assertThatThrownBy(() -> TwilioConfig.of(ACCOUNT, "TK1", null, QUEUE, null))
        .hasMessage("carrier.provider.twilio.trunkSid: 'TK1' is not a trunk SID (TK + 32 hex digits)");
    assertThatThrownBy(() -> new TwilioConfig(ACCOUNT, TRUNK, URI.create("ftp://x"), null, null, null, 0, null, QUEUE, null))
        .hasMessage("carrier.provider.twilio.trunkingApi: 'ftp://x' is not an http(s) URL");
    assertThatThrownBy(() -> new TwilioConfig(ACCOUNT, TRUNK, null, null, null, Duration.ZERO, 0, null, QUEUE, null))
        .hasMessageStartingWith("carrier.provider.twilio.requestTimeout: must be positive");
    assertThatThrownBy(() -> new TwilioConfig(ACCOUNT, TRUNK, null, null, null, null, 70_000, null, QUEUE, null))
        .hasMessage("carrier.provider.twilio.weight: must be 1..65535, was 70000");
    assertThatThrownBy(() -> TwilioConfig.of(ACCOUNT, TRUNK, null, null, null)).hasMessageStartingWith("carrier.fallback: required");
    assertThatThrownBy(() -> TwilioConfig.of(ACCOUNT, TRUNK, null, FallbackPlan.of(FallbackDestination.pstn("+15551230000")), null))
        .hasMessage("carrier.provider.twilio.pstnGateway: required because carrier.fallback has a pstn destination");
    assertThatThrownBy(() -> new TwilioNumber("PN1", "+15551230000", URI.create("https://x/t"), null))
        .hasMessage("carrier.provider.twilio.numbers.+15551230000.sid: 'PN1' is not a phone number SID (PN + 32 hex digits)");
    assertThatThrownBy(() -> new TwilioNumber("PN" + "a".repeat(32), "+15551230000", null, null))
        .hasMessage("carrier.provider.twilio.numbers.+15551230000.outageVoiceUrl: required");
  }

  @Test
  void credentialsComeFromAFileOrTheEnvironmentAndNeverShowTheSecret() throws Exception {
    Path file = Files.writeString(dir.resolve("twilio.cred"), "SKkey:topsecret\n");

    assertThat(TwilioCredentials.resolve(file, Map.of()).toString()).isEqualTo("TwilioCredentials[SKkey:****]");
    assertThat(TwilioCredentials.resolve(null, Map.of("TWILIO_ACCOUNT_SID", ACCOUNT, "TWILIO_AUTH_TOKEN", "tok")).basicAuthorization())
        .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString((ACCOUNT + ":tok").getBytes()));
    assertThatThrownBy(() -> TwilioCredentials.resolve(null, Map.of()))
        .hasMessageContaining("TWILIO_API_KEY/TWILIO_API_SECRET").hasMessageContaining("TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN");
    Path bad = Files.writeString(dir.resolve("bad.cred"), "topsecret-without-user");
    assertThatThrownBy(() -> TwilioCredentials.resolve(bad, Map.of()))
        .hasMessageContaining("must hold one line <sid>:<secret>").hasMessageNotContaining("topsecret");
    assertThat(List.of(TwilioCredentials.resolve(file, Map.of()))).asString().doesNotContain("topsecret");
  }
}
