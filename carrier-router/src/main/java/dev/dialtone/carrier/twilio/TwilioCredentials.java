package dev.dialtone.carrier.twilio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * HTTP Basic credentials for Twilio's REST API (an API key and secret, or the account SID and
 * auth token), read from a file or the environment. {@link #toString()} never shows the secret.
 */
public final class TwilioCredentials {
  private final String username;
  private final String secret;

  private TwilioCredentials(String username, String secret) {
    this.username = username;
    this.secret = secret;
  }

  /**
   * Reads {@code file} (one line, {@code <key-or-account-sid>:<secret>}) if given, else the
   * environment: {@code TWILIO_API_KEY} and {@code TWILIO_API_SECRET}, or {@code TWILIO_ACCOUNT_SID}
   * and {@code TWILIO_AUTH_TOKEN}.
   *
   * @throws IllegalArgumentException naming the file or variables, never their content
   */
  public static TwilioCredentials resolve(Path file, Map<String, String> env) {
    if (file != null) {
      String text;
      try {
        text = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("carrier.provider.twilio.credentialsFile: cannot read " + file + ": " + e.getClass().getSimpleName(), e);
      }
      int colon = text.indexOf(':');
      if (colon <= 0 || colon == text.length() - 1 || text.contains("\n")) {
        throw new IllegalArgumentException("carrier.provider.twilio.credentialsFile: " + file + " must hold one line <sid>:<secret>");
      }
      return new TwilioCredentials(text.substring(0, colon), text.substring(colon + 1));
    }
    for (String[] pair : new String[][] {{"TWILIO_API_KEY", "TWILIO_API_SECRET"}, {"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"}}) {
      String user = env.get(pair[0]);
      String secret = env.get(pair[1]);
      if (user != null && !user.isBlank() && secret != null && !secret.isBlank()) {
        return new TwilioCredentials(user.strip(), secret.strip());
      }
    }
    throw new IllegalArgumentException("carrier.provider.twilio.credentialsFile: not set, and neither TWILIO_API_KEY/TWILIO_API_SECRET"
        + " nor TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN is in the environment");
  }

  /** The {@code Authorization} header value. */
  String basicAuthorization() {
    return "Basic " + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    return "TwilioCredentials[" + username + ":****]";
  }
}
