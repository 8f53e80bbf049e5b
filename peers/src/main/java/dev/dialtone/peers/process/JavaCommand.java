package dev.dialtone.peers.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * How to start another JVM on this JVM's own Java and class path: the lab runs from the shipped
 * jar, so its children run the same code the operator's {@code dialtone} command runs.
 */
public final class JavaCommand {
  private JavaCommand() {}

  /** The {@code java} binary of the running JVM. */
  public static String java() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /**
   * JVM options that keep a dynamic class-data archive for the process called {@code name}: the
   * first run writes it at exit, later runs map it (measured: a region agent's start-up CPU 4.0 s ->
   * 2.5 s and its RSS 130 -> 121 MiB). One archive per process, so processes never write the same
   * file, kept under {@code $XDG_CACHE_HOME/dialtone/cds} (default {@code ~/.cache}), outside any
   * work directory, so every lab run after the first gains. Its name carries a hash of the Java, the
   * options and the class path with each entry's size and time: an archive whose jar was rebuilt is
   * not merely useless, the JVM then drops class-data sharing altogether (its own JDK archive too:
   * +40 MiB RSS) and never rewrites it, so a changed class path gets a new archive and the old one
   * is removed.
   */
  public static List<String> classDataArchive(String name, List<String> jvmOptions) {
    String cache = System.getenv("XDG_CACHE_HOME");
    Path base = cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(cache);
    Path dir = base.resolve("dialtone").resolve("cds");
    StringBuilder key = new StringBuilder(java()).append('\n').append(String.join(" ", jvmOptions));
    try {
      Files.createDirectories(dir);
      for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
        Path p = Path.of(entry);
        key.append('\n').append(entry);
        if (Files.isRegularFile(p)) {
          key.append(' ').append(Files.size(p)).append(' ').append(Files.getLastModifiedTime(p).toMillis());
        }
      }
      String file = name + "-" + HexFormat.of().formatHex(sha256(key.toString()), 0, 6) + ".jsa";
      try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, name + "-*.jsa")) {
        for (Path old : stale) {
          if (!old.getFileName().toString().equals(file)) {
            Files.deleteIfExists(old);
          }
        }
      }
      // Quiet: what the JVM skips when it writes the archive, or a base-archive mismatch it works
      // around, is not the operator's concern, and a process never fails for want of its archive.
      return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + dir.resolve(file), "-Xlog:cds=off,aot=off");
    } catch (IOException e) {
      return List.of(); // no cache directory: the process starts as it would without one
    }
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }

  /** {@code java <options> -cp <this class path> <mainClass> <args>}. */
  public static List<String> of(List<String> jvmOptions, String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
