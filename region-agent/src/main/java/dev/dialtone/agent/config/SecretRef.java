package dev.dialtone.agent.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where a secret lives: a file (preferred) or an environment variable. Never the value itself. */
public record SecretRef(String file, String env) {

  /**
   * Reads the secret (trimmed), or throws {@link IllegalArgumentException} saying where it
   * looked; the message never contains the value.
   */
  public String read(Map<String, String> environment) {
    if ((file == null) == (env == null)) {
      throw new IllegalArgumentException("set exactly one of file or env");
    }
    if (file != null) {
      try {
        String value = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        if (value.isEmpty()) {
          throw new IllegalArgumentException("secret file " + file + " is empty");
        }
        return value;
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read secret file " + file + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    String value = environment.get(env);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("environment variable " + env + " is not set");
    }
    return value.strip();
  }
}
