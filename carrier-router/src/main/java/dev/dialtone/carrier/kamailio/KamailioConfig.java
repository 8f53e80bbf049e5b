package dev.dialtone.carrier.kamailio;

import dev.dialtone.carrier.fallback.FallbackPlan;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to drive a Kamailio dispatcher set: one validated record, errors naming the field.
 *
 * @param rpcUrl Kamailio's JSON-RPC over HTTP endpoint, e.g. {@code http://127.0.0.1:5071/RPC}
 * @param setId the dispatcher set the edge routes inbound calls with; sets {@code setId + 1} on
 *     hold the per-number chains, in number order, named in Kamailio's {@code dialtone} htable
 *     ({@code did:<number>} → set)
 * @param listFile the dispatcher list file Kamailio loads ({@code list_file}); written atomically
 * @param rpcTimeout how long one RPC may take (default 2 s)
 * @param pstnGateway {@code host[:port]} reaching PSTN fallback numbers; required if any is PSTN
 * @param fallback the outage-mode destinations
 */
public record KamailioConfig(
    URI rpcUrl, int setId, Path listFile, Duration rpcTimeout, String pstnGateway, FallbackPlan fallback) {
  public static final Duration DEFAULT_RPC_TIMEOUT = Duration.ofSeconds(2);
  private static final String FIELD = "carrier.provider.kamailio.";

  public KamailioConfig {
    if (rpcUrl == null) {
      throw new IllegalArgumentException(FIELD + "rpcUrl: required, e.g. http://127.0.0.1:5071/RPC");
    }
    if (!"http".equals(rpcUrl.getScheme()) && !"https".equals(rpcUrl.getScheme()) || rpcUrl.getHost() == null) {
      throw new IllegalArgumentException(FIELD + "rpcUrl: '" + rpcUrl + "' is not an http(s) URL");
    }
    if (setId <= 0) {
      throw new IllegalArgumentException(FIELD + "setId: must be positive, was " + setId);
    }
    if (listFile == null) {
      throw new IllegalArgumentException(FIELD + "listFile: required (the dispatcher list_file Kamailio loads)");
    }
    rpcTimeout = rpcTimeout == null ? DEFAULT_RPC_TIMEOUT : rpcTimeout;
    if (rpcTimeout.isNegative() || rpcTimeout.isZero()) {
      throw new IllegalArgumentException(FIELD + "rpcTimeout: must be positive, was " + rpcTimeout);
    }
    if (fallback == null) {
      throw new IllegalArgumentException("carrier.fallback: required (outage mode needs somewhere to send callers)");
    }
    if (fallback.needsPstnGateway() && (pstnGateway == null || pstnGateway.isBlank())) {
      throw new IllegalArgumentException(FIELD + "pstnGateway: required because carrier.fallback has a pstn destination");
    }
    if (pstnGateway != null && !pstnGateway.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      throw new IllegalArgumentException(FIELD + "pstnGateway: '" + pstnGateway + "' is not host[:port]");
    }
  }

  /** A config with the default RPC timeout and no PSTN gateway. */
  public static KamailioConfig of(URI rpcUrl, int setId, Path listFile, FallbackPlan fallback) {
    return new KamailioConfig(rpcUrl, setId, listFile, null, null, fallback);
  }
}
