package dev.dialtone.security.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A credential (TSIG key, API key, token) read from a file or the environment. It never prints
 * itself: {@link #toString()} is redacted, so it can sit in config records that get logged.
 */
public final class Secret {
  private final String value;
  private final String source;

  private Secret(String value, String source) {
    this.value = value;
    this.source = source;
  }

  /**
   * Resolves a reference: {@code file:/path} (trailing newline dropped) or {@code env:NAME}.
   *
   * @param field the config field, named in errors (never the value)
   */
  public static Secret resolve(String reference, String field, Map<String, String> env) {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException(field + " is required (file:/path or env:NAME)");
    }
    if (reference.startsWith("file:")) {
      Path path = Path.of(reference.substring(5));
      try {
        String content = Files.readString(path, StandardCharsets.UTF_8).strip();
        if (content.isEmpty()) {
          throw new IllegalArgumentException(field + ": " + path + " is empty");
        }
        return new Secret(content, "file " + path);
      } catch (IOException e) {
        throw new IllegalArgumentException(field + ": cannot read " + path + " (" + e.getClass().getSimpleName() + ")");
      }
    }
    if (reference.startsWith("env:")) {
      String name = reference.substring(4);
      String content = env.get(name);
      if (content == null || content.isBlank()) {
        throw new IllegalArgumentException(field + ": environment variable " + name + " is not set");
      }
      return new Secret(content.strip(), "env " + name);
    }
    throw new IllegalArgumentException(field + " must be file:/path or env:NAME, not a literal value");
  }

  /** The secret itself: pass it straight to the library that needs it, never to a log or message. */
  public String reveal() {
    return value;
  }

  /** Where it came from, safe to log. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "Secret[" + source + ", redacted]";
  }
}
