package dev.dialtone.carrier.fallback;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One outage-mode destination, in the order callers should reach it: a SIP queue, an on-call PSTN
 * number reached through a fallback gateway, an answering service or voicemail.
 *
 * @param kind what the destination is
 * @param target a {@code sip:}/{@code sips:} URI, or an E.164 number for {@link Kind#PSTN}
 */
public record FallbackDestination(Kind kind, String target) {
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  private static final Pattern SIP_URI = Pattern.compile("sips?:[^\\s;]+(;[^\\s]*)?");

  /** What a fallback destination is. */
  public enum Kind { QUEUE, PSTN, ANSWERING_SERVICE, VOICEMAIL }

  public FallbackDestination {
    Objects.requireNonNull(kind, "kind");
    if (target == null || target.isBlank()) {
      throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + ": required");
    }
    if (kind == Kind.PSTN ? !E164.matcher(target).matches() : !SIP_URI.matcher(target).matches()) {
      throw new IllegalArgumentException(kind.name().toLowerCase(java.util.Locale.ROOT) + ": '" + target + "' is not "
          + (kind == Kind.PSTN ? "an E.164 number like +15551230000" : "a sip: or sips: URI"));
    }
  }

  public static FallbackDestination queue(String sipUri) {
    return new FallbackDestination(Kind.QUEUE, sipUri);
  }

  public static FallbackDestination pstn(String e164) {
    return new FallbackDestination(Kind.PSTN, e164);
  }

  public static FallbackDestination answeringService(String sipUri) {
    return new FallbackDestination(Kind.ANSWERING_SERVICE, sipUri);
  }

  public static FallbackDestination voicemail(String sipUri) {
    return new FallbackDestination(Kind.VOICEMAIL, sipUri);
  }

  /**
   * Where a SIP proxy sends the call: the URI itself, or for a PSTN number the number at the
   * fallback gateway (e.g. {@code sip:+15551230000@gw.example.com:5060}).
   *
   * @param pstnGateway {@code host[:port]} of the PSTN gateway, or {@code null} if none
   */
  public String sipUri(String pstnGateway) {
    if (kind != Kind.PSTN) {
      return target;
    }
    if (pstnGateway == null) {
      throw new IllegalStateException("pstn fallback " + target + " needs a PSTN gateway");
    }
    return "sip:" + target + "@" + pstnGateway;
  }
}
