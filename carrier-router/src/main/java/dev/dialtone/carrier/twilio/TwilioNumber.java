package dev.dialtone.carrier.twilio;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A phone number (DID) on the trunk with its own outage handling: in outage mode it leaves the
 * trunk and Twilio fetches its calls' instructions from {@code outageVoiceUrl} (then
 * {@code outageFallbackUrl}); when routing returns it rejoins the trunk.
 *
 * @param sid the IncomingPhoneNumber SID, {@code PN} + 32 hex digits
 * @param number the E.164 number, for logs
 * @param outageVoiceUrl where its outage-mode chain is served (TwiML)
 * @param outageFallbackUrl Twilio's fallback if that URL fails, or {@code null}
 */
public record TwilioNumber(String sid, String number, URI outageVoiceUrl, URI outageFallbackUrl) {
  private static final Pattern SID = Pattern.compile("PN[0-9a-fA-F]{32}");
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  public TwilioNumber {
    String field = "carrier.provider.twilio.numbers." + number;
    if (number == null || !E164.matcher(number).matches()) {
      throw new IllegalArgumentException("carrier.provider.twilio.numbers: '" + number + "' is not an E.164 number like +15551230000");
    }
    if (sid == null || !SID.matcher(sid).matches()) {
      throw new IllegalArgumentException(field + ".sid: '" + sid + "' is not a phone number SID (PN + 32 hex digits)");
    }
    requireHttpUrl(outageVoiceUrl, field + ".outageVoiceUrl", true);
    requireHttpUrl(outageFallbackUrl, field + ".outageFallbackUrl", false);
  }

  static void requireHttpUrl(URI url, String field, boolean required) {
    if (url == null) {
      if (required) {
        throw new IllegalArgumentException(field + ": required");
      }
      return;
    }
    if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
      throw new IllegalArgumentException(field + ": '" + url + "' is not an http(s) URL");
    }
  }
}
