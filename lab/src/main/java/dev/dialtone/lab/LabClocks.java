package dev.dialtone.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's lever on an agent's wall clock: each agent process starts with libfaketime preloaded
 * and reading its offset from {@code <work>/clocks/<agent>.faketime}, so a campaign can move one
 * agent's clock minutes ahead or behind while it runs (its reports carry that time) and back. The
 * monotonic clock is left alone, so the JVM's timers and the probes' timeouts keep real time.
 */
public final class LabClocks {
  private static final Logger log = LoggerFactory.getLogger(LabClocks.class);
  /** Where Debian's {@code libfaketime} package puts the multi-threaded library (the JVM has threads). */
  private static final List<String> CANDIDATES = List.of(
      "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1",
      "/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1",
      "/usr/lib/faketime/libfaketimeMT.so.1",
      "/usr/local/lib/faketime/libfaketimeMT.so.1");

  private final Path dir;
  private final Optional<Path> library;

  LabClocks(Path workDir) {
    this(workDir, find());
  }

  LabClocks(Path workDir, Optional<Path> library) {
    this.dir = workDir.resolve("clocks");
    this.library = library;
  }

  private static Optional<Path> find() {
    String override = System.getenv("DIALTONE_LAB_LIBFAKETIME");
    if (override != null && !override.isBlank()) {
      return Optional.of(Path.of(override)).filter(Files::isReadable);
    }
    return CANDIDATES.stream().map(Path::of).filter(Files::isReadable).findFirst();
  }

  /** Whether clocks can be moved here (libfaketime is installed). */
  public boolean available() {
    return library.isPresent();
  }

  /**
   * The environment that starts process {@code name} under this lever, its clock true for now;
   * empty without libfaketime (the process then runs on the host's clock, and {@link #set} refuses).
   */
  Map<String, String> environment(String name) throws IOException {
    if (library.isEmpty()) {
      return Map.of();
    }
    Files.createDirectories(dir);
    Path file = file(name);
    if (!Files.exists(file)) {
      write(file, "+0");
    }
    return Map.of(
        "LD_PRELOAD", library.get().toString(),
        "FAKETIME_TIMESTAMP_FILE", file.toString(),
        // Re-read the file every second so a change takes effect in a running process.
        "FAKETIME_CACHE_DURATION", "1",
        "FAKETIME_DONT_FAKE_MONOTONIC", "1",
        // Without this, libfaketime 0.9.10 sends every monotonic read the JVM makes to a syscall:
        // a JVM starts five times slower and, on a busy host, its probes time out (libfaketime#425).
        "FAKETIME_FORCE_MONOTONIC_FIX", "0");
  }

  /** Moves {@code name}'s wall clock by {@code offset} (negative: behind) from the true time, within a second. */
  public void set(String name, Duration offset) {
    if (library.isEmpty()) {
      throw new IllegalStateException("cannot move " + name + "'s clock: libfaketime is not installed"
          + " (apt-get install libfaketime, or set DIALTONE_LAB_LIBFAKETIME to libfaketimeMT.so.1)");
    }
    long seconds = offset.toSeconds();
    log.warn("[lab] FAULT clock of {} set {} s {}", name, Math.abs(seconds), seconds < 0 ? "behind" : "ahead");
    write(file(name), (seconds < 0 ? "-" : "+") + Math.abs(seconds));
  }

  /** Puts {@code name}'s clock back to the true time. Idempotent; a no-op without libfaketime. */
  public void reset(String name) {
    if (library.isPresent() && Files.exists(file(name))) {
      log.info("[lab] clock of {} reset to the true time", name);
      write(file(name), "+0");
    }
  }

  private Path file(String name) {
    return dir.resolve(name + ".faketime");
  }

  // Written whole and renamed, so a process re-reading it never sees half an offset.
  private static void write(Path file, String offset) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, offset + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the clock offset " + file, e);
    }
  }
}
