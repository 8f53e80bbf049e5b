package dev.dialtone.carrier.fallback;

import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Formats;
import dev.dialtone.config.constraint.Rules;
import dev.dialtone.config.constraint.SipUri;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The replica file's {@code fallback:} section: where callers go when no region is healthy
 * (outage mode), bound from YAML and checked by Bean Validation.
 *
 * <pre>{@code
 * fallback:
 *   destinations:
 *     - queue: "sip:support@pbx.example.com"
 *     - pstn: "+15551230000"
 *     - voicemail: "sip:vm@pbx.example.com"
 *   perNumber:
 *     "+15557654321": [ { voicemail: "sip:vip-vm@pbx.example.com" } ]
 *   ring: sequential
 *   pstnGateway: "gw.example.com:5060"
 * }</pre>
 *
 * @param destinations the default chain, first tried first
 * @param perNumber E.164 number (DID) → its own chain, replacing the default for that number
 * @param ring {@code sequential} (default) or {@code parallel}: every destination of the chain at once
 * @param pstnGateway {@code host[:port]} reaching PSTN numbers; required when a destination is {@code pstn}
 */
public record FallbackConfig(
    @NotEmpty(message = "at least one destination is required: outage mode needs somewhere to send callers")
    List<@NotNull @Valid Destination> destinations,
    Map<String, @NotEmpty(message = "at least one destination is required") List<@NotNull @Valid Destination>> perNumber,
    RingMode ring,
    String pstnGateway) implements Checked {

  static final String E164 = "\\+[1-9][0-9]{6,14}";
  static final String E164_HINT = "must be an E.164 number (e.g. +15551230000)";

  public FallbackConfig {
    destinations = destinations == null ? List.of() : destinations;
    perNumber = perNumber == null ? Map.of() : perNumber;
    ring = ring == null ? RingMode.SEQUENTIAL : ring;
  }

  /** One destination: exactly one of {@code queue}, {@code pstn}, {@code answeringService}, {@code voicemail}. */
  public record Destination(
      @SipUri String queue,
      @Pattern(regexp = E164, message = E164_HINT) String pstn,
      @SipUri String answeringService,
      @SipUri String voicemail) implements Checked {

    @Override
    public void check(Rules rules) {
      long set = Stream.of(queue, pstn, answeringService, voicemail).filter(v -> v != null).count();
      rules.require(set == 1, "", set == 0
          ? "needs one of queue, pstn, answeringService, voicemail"
          : "needs exactly one of queue, pstn, answeringService, voicemail (found " + set + ")");
    }

    /** The domain destination; only valid once checked. */
    public FallbackDestination toDestination() {
      if (queue != null) {
        return FallbackDestination.queue(queue);
      }
      if (pstn != null) {
        return FallbackDestination.pstn(pstn);
      }
      if (answeringService != null) {
        return FallbackDestination.answeringService(answeringService);
      }
      return FallbackDestination.voicemail(voicemail);
    }

    boolean isPstn() {
      return pstn != null;
    }
  }

  @Override
  public void check(Rules rules) {
    perNumber.keySet().forEach(number -> rules.require(number != null && number.matches(E164),
        "perNumber[" + number + "]", "'" + number + "' is refused: " + E164_HINT));
    boolean anyPstn = Stream.concat(destinations.stream(), perNumber.values().stream().filter(c -> c != null).flatMap(List::stream))
        .anyMatch(d -> d != null && d.isPstn());
    if (pstnGateway == null) {
      rules.require(!anyPstn, "pstnGateway", "is required because a fallback destination is pstn (e.g. gw.example.com:5060)");
    } else {
      rules.require(Formats.isHost(pstnGateway) || Formats.isHostPort(pstnGateway), "pstnGateway",
          "'" + pstnGateway + "' is refused: must be host or host:port (e.g. gw.example.com:5060)");
    }
  }

  /** The outage-mode plan this section describes; only valid once validated. */
  public FallbackPlan plan() {
    List<FallbackDestination> chain = destinations.stream().map(Destination::toDestination).toList();
    Map<String, List<FallbackDestination>> numbers = new LinkedHashMap<>();
    perNumber.forEach((number, own) -> numbers.put(number, new ArrayList<>(own.stream().map(Destination::toDestination).toList())));
    return new FallbackPlan(chain, numbers, ring, pstnGateway);
  }
}
