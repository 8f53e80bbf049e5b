package dev.dialtone.carrier.twilio;

import dev.dialtone.config.constraint.HttpUrl;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

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
public record TwilioNumber(
    @NotNull(message = "is required: the IncomingPhoneNumber SID (PN + 32 hex digits)")
    @Pattern(regexp = "PN[0-9a-fA-F]{32}", message = "must be a phone number SID (PN + 32 hex digits)") String sid,
    @NotNull(message = "is required, e.g. +15551230000")
    @Pattern(regexp = "\\+[1-9][0-9]{6,14}", message = "must be an E.164 number (e.g. +15551230000)") String number,
    @NotNull(message = "is required: the TwiML URL serving this number's outage chain") @HttpUrl String outageVoiceUrl,
    @HttpUrl String outageFallbackUrl) {}
