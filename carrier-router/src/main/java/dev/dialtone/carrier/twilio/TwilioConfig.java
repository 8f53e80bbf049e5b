package dev.dialtone.carrier.twilio;

import dev.dialtone.carrier.fallback.FallbackPlan;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * How to drive a Twilio Elastic SIP trunk: one validated record, errors naming the field.
 *
 * @param accountSid the account ({@code AC} + 32 hex digits)
 * @param trunkSid the trunk ({@code TK} + 32 hex digits)
 * @param trunkingApi default {@code https://trunking.twilio.com}
 * @param restApi default {@code https://api.twilio.com}
 * @param credentialsFile a file holding {@code <sid>:<secret>}, or {@code null} for the environment
 * @param requestTimeout per request (default 5 s)
 * @param weight the origination URLs' weight (default 10)
 * @param pstnGateway {@code host[:port]} reaching PSTN fallback numbers; required if any is PSTN
 * @param fallback outage mode's origination URLs, in order
 * @param numbers numbers with their own outage chain (per-number overrides)
 */
public record TwilioConfig(
    String accountSid,
    String trunkSid,
    URI trunkingApi,
    URI restApi,
    Path credentialsFile,
    Duration requestTimeout,
    int weight,
    String pstnGateway,
    FallbackPlan fallback,
    List<TwilioNumber> numbers) {
  public static final URI DEFAULT_TRUNKING_API = URI.create("https://trunking.twilio.com");
  public static final URI DEFAULT_REST_API = URI.create("https://api.twilio.com");
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_WEIGHT = 10;
  private static final String FIELD = "carrier.provider.twilio.";
  private static final Pattern ACCOUNT = Pattern.compile("AC[0-9a-fA-F]{32}");
  private static final Pattern TRUNK = Pattern.compile("TK[0-9a-fA-F]{32}");

  public TwilioConfig {
    if (accountSid == null || !ACCOUNT.matcher(accountSid).matches()) {
      throw new IllegalArgumentException(FIELD + "accountSid: '" + accountSid + "' is not an account SID (AC + 32 hex digits)");
    }
    if (trunkSid == null || !TRUNK.matcher(trunkSid).matches()) {
      throw new IllegalArgumentException(FIELD + "trunkSid: '" + trunkSid + "' is not a trunk SID (TK + 32 hex digits)");
    }
    trunkingApi = trunkingApi == null ? DEFAULT_TRUNKING_API : trunkingApi;
    restApi = restApi == null ? DEFAULT_REST_API : restApi;
    TwilioNumber.requireHttpUrl(trunkingApi, FIELD + "trunkingApi", true);
    TwilioNumber.requireHttpUrl(restApi, FIELD + "restApi", true);
    requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException(FIELD + "requestTimeout: must be positive, was " + requestTimeout);
    }
    weight = weight == 0 ? DEFAULT_WEIGHT : weight;
    if (weight < 1 || weight > 65_535) {
      throw new IllegalArgumentException(FIELD + "weight: must be 1..65535, was " + weight);
    }
    if (fallback == null) {
      throw new IllegalArgumentException("carrier.fallback: required (outage mode needs somewhere to send callers)");
    }
    if (fallback.needsPstnGateway() && (pstnGateway == null || pstnGateway.isBlank())) {
      throw new IllegalArgumentException(FIELD + "pstnGateway: required because carrier.fallback has a pstn destination");
    }
    numbers = numbers == null ? List.of() : List.copyOf(numbers);
  }

  /** A config with Twilio's endpoints and the defaults. */
  public static TwilioConfig of(String accountSid, String trunkSid, Path credentialsFile, FallbackPlan fallback, List<TwilioNumber> numbers) {
    return new TwilioConfig(accountSid, trunkSid, null, null, credentialsFile, null, 0, null, fallback, numbers);
  }
}
