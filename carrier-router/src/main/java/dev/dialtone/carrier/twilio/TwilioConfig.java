package dev.dialtone.carrier.twilio;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.dialtone.carrier.CarrierConfig;
import dev.dialtone.config.Secret;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.HttpUrl;
import dev.dialtone.config.constraint.Identifier;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.Rules;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Twilio Elastic SIP trunk, one {@code twilio:} entry of the replica file's {@code carrier:} list.
 *
 * <pre>{@code
 * carrier:
 *   - twilio:
 *       accountSid: ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
 *       trunkSid: TKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
 *       apiKeySid: SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
 *       apiKeySecret: "env:TWILIO_API_SECRET"
 *       numbers:
 *         - { sid: PNxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx, number: "+15557654321", outageVoiceUrl: "https://fallback.example.com/twiml/vip" }
 * }</pre>
 *
 * @param name the actuator is {@code carrier/<name>} (default {@code twilio})
 * @param accountSid the account ({@code AC} + 32 hex digits)
 * @param trunkSid the trunk ({@code TK} + 32 hex digits)
 * @param apiKeySid the HTTP Basic user: an API key SID ({@code SK…}) or the account SID; not secret
 * @param apiKeySecret the API key's secret (or the account's auth token)
 * @param trunkingApi default {@code https://trunking.twilio.com}
 * @param restApi default {@code https://api.twilio.com}
 * @param requestTimeout per request (default 5 s)
 * @param weight the origination URLs' weight, 1..65535 (default 10)
 * @param numbers numbers that leave the trunk for their own outage handling
 */
// Bound on its own too (a provider's own file or test): the kind wrapper is CarrierConfig's business.
@JsonTypeInfo(use = JsonTypeInfo.Id.NONE)
public record TwilioConfig(
    @Identifier String name,
    @NotNull(message = "is required: the account SID (AC + 32 hex digits)")
    @Pattern(regexp = "AC[0-9a-fA-F]{32}", message = "must be an account SID (AC + 32 hex digits)") String accountSid,
    @NotNull(message = "is required: the trunk SID (TK + 32 hex digits)")
    @Pattern(regexp = "TK[0-9a-fA-F]{32}", message = "must be a trunk SID (TK + 32 hex digits)") String trunkSid,
    @NotNull(message = "is required: an API key SID (SK + 32 hex digits) or the account SID")
    @Pattern(regexp = "(SK|AC)[0-9a-fA-F]{32}", message = "must be an API key SID (SK + 32 hex digits) or the account SID")
    String apiKeySid,
    @NotNull(message = "is required: the API key's secret, as file:/path or env:NAME") Secret apiKeySecret,
    @HttpUrl String trunkingApi,
    @HttpUrl String restApi,
    @PositiveDuration Duration requestTimeout,
    @Min(value = 1, message = "must be 1..65535") @Max(value = 65_535, message = "must be 1..65535") Integer weight,
    List<@NotNull @Valid TwilioNumber> numbers) implements CarrierConfig, Checked {
  public static final String DEFAULT_NAME = "twilio";
  public static final String DEFAULT_TRUNKING_API = "https://trunking.twilio.com";
  public static final String DEFAULT_REST_API = "https://api.twilio.com";
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_WEIGHT = 10;

  public TwilioConfig {
    name = name == null ? DEFAULT_NAME : name;
    trunkingApi = trunkingApi == null ? DEFAULT_TRUNKING_API : trunkingApi;
    restApi = restApi == null ? DEFAULT_REST_API : restApi;
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    weight = weight == null ? DEFAULT_WEIGHT : weight;
    numbers = numbers == null ? List.of() : numbers;
  }

  @Override
  public void check(Rules rules) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < numbers.size(); i++) {
      TwilioNumber n = numbers.get(i);
      rules.require(n == null || n.sid() == null || seen.add(n.sid()), "numbers[" + i + "].sid",
          "duplicate number SID '" + (n == null ? null : n.sid()) + "'");
    }
  }

  /** A config with Twilio's endpoints and the defaults. */
  public static TwilioConfig of(String accountSid, String trunkSid, String apiKeySid, Secret apiKeySecret, List<TwilioNumber> numbers) {
    return new TwilioConfig(null, accountSid, trunkSid, apiKeySid, apiKeySecret, null, null, null, null, numbers);
  }

  public URI trunkingApiUri() {
    return URI.create(trunkingApi);
  }

  public URI restApiUri() {
    return URI.create(restApi);
  }

  @Override
  public String actuatorName() {
    return "carrier/" + name;
  }
}
