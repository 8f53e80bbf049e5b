package dev.dialtone.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own linter, {@code promtool check metrics}, run on an exposition as a scraper would
 * read it: the real client checks names, types, HELP and suffixes, not a test's idea of them.
 */
public final class Promtool {
  private Promtool() {}

  /**
   * The problems promtool finds in {@code exposition}, or an empty string if none.
   *
   * @throws IllegalStateException if promtool is not installed (scripts/install-prereqs installs it)
   */
  public static String checkMetrics(String exposition) throws IOException, InterruptedException {
    Process p;
    try {
      p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("promtool is not on PATH (Debian package prometheus; run scripts/install-prereqs)", e);
    }
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("promtool check metrics did not finish in 30 s");
    }
    return p.exitValue() == 0 ? "" : "promtool check metrics (exit " + p.exitValue() + "):\n" + out;
  }
}
