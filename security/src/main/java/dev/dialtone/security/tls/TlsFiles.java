package dev.dialtone.security.tls;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a process's TLS material lives, as PEM files that may be replaced at any time (rotation):
 * they are re-read every {@code refresh}.
 *
 * @param certificateChain this process's certificate, then intermediates
 * @param privateKey its PKCS#8 private key
 * @param trustBundle the CA certificates peers must chain to
 * @param refresh how often the files are checked for changes
 */
public record TlsFiles(Path certificateChain, Path privateKey, Path trustBundle, Duration refresh) {

  /** How often files are re-read unless configured otherwise. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);

  public TlsFiles {
    if (refresh == null) {
      refresh = DEFAULT_REFRESH;
    }
    if (refresh.isNegative() || refresh.isZero()) {
      throw new IllegalArgumentException("tls.refresh must be positive, was " + refresh);
    }
  }

  /**
   * Problems with the files, each naming the field under {@code prefix} (e.g. {@code tls}) and the
   * path; empty when all are readable.
   */
  public List<String> problems(String prefix) {
    List<String> problems = new ArrayList<>();
    check(problems, prefix + ".certificateChain", certificateChain);
    check(problems, prefix + ".privateKey", privateKey);
    check(problems, prefix + ".trustBundle", trustBundle);
    return problems;
  }

  private static void check(List<String> problems, String field, Path path) {
    if (path == null) {
      problems.add(field + " is required");
    } else if (!Files.isReadable(path)) {
      problems.add(field + ": cannot read " + path);
    }
  }
}
