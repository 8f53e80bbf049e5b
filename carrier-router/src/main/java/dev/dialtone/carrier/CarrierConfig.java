package dev.dialtone.carrier;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.dialtone.carrier.kamailio.KamailioConfig;
import dev.dialtone.carrier.twilio.TwilioConfig;

/**
 * One entry of the replica file's {@code carrier:} list, named by its kind:
 *
 * <pre>{@code
 * carrier:
 *   - kamailio: { rpcUrl: "http://10.0.0.5:5071/RPC", rpcToken: "file:/etc/dialtone/kamailio.token", ... }
 *   - twilio: { accountSid: AC..., trunkSid: TK..., apiKeySid: SK..., apiKeySecret: "env:TWILIO_API_SECRET" }
 * }</pre>
 *
 * {@link CarrierActuators#create} turns each into its actuator. The kinds are exactly the
 * {@link JsonSubTypes} below. (Not {@code sealed}: outside a named module Java only lets a sealed
 * interface permit classes of its own package, and each provider's config lives in its provider's
 * package.)
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
@JsonSubTypes({
    @JsonSubTypes.Type(value = KamailioConfig.class, name = "kamailio"),
    @JsonSubTypes.Type(value = TwilioConfig.class, name = "twilio")})
public interface CarrierConfig {
  /** The actuator's name in logs, metrics and plan steps: {@code carrier/<name>}. */
  String actuatorName();
}
