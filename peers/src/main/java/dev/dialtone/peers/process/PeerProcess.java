package dev.dialtone.peers.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real peer program run in its own process group, its output in a log file. It never outlives
 * the test JVM: {@link #close()} kills the whole group, a shutdown hook does so on a normal JVM
 * exit, and a watchdog shell kills the group within a second if the JVM dies by {@code kill -9}.
 */
public final class PeerProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerProcess.class);

  // Runs the peer in a new session/process group and watches the JVM that started it.
  private static final String WATCHDOG =
      """
      jvm=$1; shift
      "$@" &
      child=$!
      trap 'kill -TERM "$child" 2>/dev/null; wait "$child"; exit' TERM INT
      while kill -0 "$child" 2>/dev/null; do
        if ! kill -0 "$jvm" 2>/dev/null; then
          kill -TERM -- -$$ 2>/dev/null; sleep 2; kill -KILL -- -$$ 2>/dev/null; exit 1
        fi
        sleep 0.5
      done
      wait "$child"
      """;

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread shutdownHook;

  private PeerProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::killGroup, "peer-reaper-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code command} with its output appended to {@code logFile}.
   *
   * @param name a short name for logs, e.g. {@code named}
   * @param workDir the working directory
   * @param env extra environment variables
   */
  public static PeerProcess start(
      String name, List<String> command, Path workDir, Map<String, String> env, Path logFile) {
    List<String> full = new ArrayList<>();
    full.add("setsid");
    full.add("bash");
    full.add("-c");
    full.add(WATCHDOG);
    full.add("peer-" + name);
    full.add(Long.toString(ProcessHandle.current().pid()));
    full.addAll(command);
    ProcessBuilder builder =
        new ProcessBuilder(full)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(env);
    try {
      Files.createDirectories(logFile.getParent());
      Process process = builder.start();
      log.info("started {} (pgid {}): {} [log {}]", name, process.pid(), String.join(" ", command), logFile);
      return new PeerProcess(name, process, logFile);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + String.join(" ", command), e);
    }
  }

  public String name() {
    return name;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits up to {@code timeout} for the peer to exit; whether it did. */
  public boolean awaitExit(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The exit status of the peer (its watchdog passes the child's on); only once it exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /** The process group (the watchdog shell's pid), for signals to the whole peer. */
  public long groupId() {
    return process.pid();
  }

  /**
   * The peer's own process (the watchdog's child), e.g. the JVM of a replica: what {@code kill -9}
   * or {@code SIGSTOP} of "the process" means; empty once it is gone.
   */
  public java.util.Optional<ProcessHandle> mainProcess() {
    // The watchdog's other child is its periodic `sleep`.
    return process.toHandle().children().filter(ProcessHandle::isAlive)
        .filter(h -> !h.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
        .findFirst();
  }

  public Path logFile() {
    return logFile;
  }

  /** The last {@code lines} lines of the peer's log, for failure messages. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Sends a signal (e.g. {@code STOP}, {@code CONT}, {@code HUP}) to every process of the peer. */
  public void signal(String signal) {
    run("kill", "-" + signal, "--", "-" + process.pid());
  }

  /** Stops the peer: TERM to the group, KILL after {@code grace}. Idempotent. */
  public void stop(Duration grace) {
    if (process.isAlive()) {
      signal("TERM");
      try {
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          log.warn("{} did not stop within {}; killing", name, grace);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    killGroup();
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or has run; nothing to remove.
    }
  }

  private void killGroup() {
    // The group may hold processes the peer forked (Kamailio's workers, postgres backends).
    run("kill", "-KILL", "--", "-" + process.pid());
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
