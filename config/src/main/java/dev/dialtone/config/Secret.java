package dev.dialtone.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * A credential (TSIG key, API key, token, password) read from a file or the environment, the only
 * two places any Dialtone file may point to. It never prints itself: {@link #toString()} names
 * only where it came from, and no error built here carries the value.
 */
public final class Secret {
  /** What a secret reference may look like, for error messages. */
  public static final String SYNTAX = "file:/path/to/file or env:VARIABLE (never the secret itself)";

  private final String value;
  private final String source;

  private Secret(String value, String source) {
    this.value = value;
    this.source = source;
  }

  /**
   * Resolves a reference: {@code file:/path} (surrounding whitespace dropped) or {@code env:NAME}.
   *
   * @throws IllegalArgumentException saying where it looked; never containing the reference's
   *     text when that text is not a reference (it may be a pasted secret)
   */
  public static Secret resolve(String reference, Map<String, String> env) {
    if (reference == null || reference.isBlank()) {
      throw new IllegalArgumentException("is required: " + SYNTAX);
    }
    if (reference.startsWith("file:")) {
      Path path = Path.of(reference.substring(5));
      String content;
      try {
        content = Files.readString(path, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read secret file " + path + " (" + e.getClass().getSimpleName() + ")");
      }
      if (content.isEmpty()) {
        throw new IllegalArgumentException("secret file " + path + " is empty");
      }
      return new Secret(content, "file " + path);
    }
    if (reference.startsWith("env:")) {
      String name = reference.substring(4);
      String content = env.get(name);
      if (content == null || content.isBlank()) {
        throw new IllegalArgumentException("environment variable " + name + " is not set");
      }
      return new Secret(content.strip(), "env " + name);
    }
    throw new IllegalArgumentException("must be " + SYNTAX + "; a literal value is refused (and not shown here)");
  }

  /** A secret held in memory, e.g. one the lab just generated; {@code source} is logged, never the value. */
  public static Secret of(String value, String source) {
    return new Secret(Objects.requireNonNull(value, "value"), source);
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
