package dev.dialtone.peers.dialtone;

import dev.dialtone.peers.process.JavaCommand;
import dev.dialtone.peers.process.PeerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One of Dialtone's own processes ({@code dialtone control-plane --config ...}, {@code dialtone
 * agent --config ...}) started as an operator starts it: its own JVM, with the JVM options the
 * launcher and the shipped units use for that role ({@link #jvmOptions}), its output in a log
 * file. Faults are faults of the real process: {@link #kill9()}, {@link #stopProcess()} (SIGSTOP),
 * {@link #continueProcess()} (SIGCONT).
 */
public final class DialtoneProcess implements AutoCloseable {
  /** The {@code dialtone} command's entry point. */
  public static final String MAIN = "dev.dialtone.cli.Dialtone";

  /**
   * The environment Dialtone's processes run with (the launcher and the units set the same): two
   * glibc malloc arenas instead of eight per core, which a JVM's many threads otherwise each touch.
   */
  public static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

  private final String name;
  private final PeerProcess process;

  private DialtoneProcess(String name, PeerProcess process) {
    this.name = name;
    this.process = process;
  }

  /**
   * Starts {@code dialtone <args>}.
   *
   * @param role {@code control-plane} or {@code agent}: which shipped JVM options apply
   */
  public static DialtoneProcess start(String name, String role, List<String> args, Path workDir, Map<String, String> env,
      Path logFile) {
    Map<String, String> environment = new java.util.HashMap<>(ENVIRONMENT);
    environment.putAll(env);
    List<String> options = new ArrayList<>(jvmOptions(role));
    options.addAll(JavaCommand.classDataArchive(name, options));
    return new DialtoneProcess(name, PeerProcess.start(name, JavaCommand.of(options, MAIN, args), workDir,
        environment, logFile));
  }

  /**
   * The JVM options Dialtone ships for {@code role} (resource {@code dev/dialtone/jvm/<role>.options},
   * one option per line, {@code #} comments): the same file the {@code dialtone} launcher and the
   * systemd units read.
   */
  public static List<String> jvmOptions(String role) {
    String resource = "/dev/dialtone/jvm/" + role + ".options";
    try (InputStream in = DialtoneProcess.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no JVM options shipped for role " + role + " (" + resource + ")");
      }
      List<String> options = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String l = line.strip();
        if (!l.isEmpty() && !l.startsWith("#")) {
          options.add(l);
        }
      }
      if (Runtime.version().feature() >= 24) {
        // JDK 24+ warns about Netty's native access and Guice's sun.misc.Unsafe use; both are expected.
        options.add("--enable-native-access=ALL-UNNAMED");
        options.add("--sun-misc-unsafe-memory-access=allow");
      }
      return options;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return name;
  }

  public PeerProcess peer() {
    return process;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The JVM's pid, while it runs. */
  public Optional<Long> pid() {
    return process.mainProcess().map(ProcessHandle::pid);
  }

  /** SIGKILL of the JVM: a crash, no shutdown hook runs, no session is closed. */
  public void kill9() {
    process.mainProcess().ifPresent(ProcessHandle::destroyForcibly);
  }

  /** SIGSTOP: the process freezes (a long GC pause, a hung host) with its sockets open. */
  public void stopProcess() {
    signal("STOP");
  }

  /** SIGCONT: a stopped process wakes up where it was. */
  public void continueProcess() {
    signal("CONT");
  }

  /** SIGTERM: a clean stop (shutdown hooks run; a leader hands over at once). */
  public void terminate() {
    signal("TERM");
  }

  private void signal(String signal) {
    long pid = pid().orElseThrow(() -> new IllegalStateException(name + " is not running"));
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).start();
      if (!kill.waitFor(5, java.util.concurrent.TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted signalling " + name, e);
    }
  }

  /** Waits for the process to exit by itself; its exit status, or empty if it is still running. */
  public Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
    return process.awaitExit(timeout) ? Optional.of(process.exitValue()) : Optional.empty();
  }

  public Path logFile() {
    return process.logFile();
  }

  @Override
  public void close() {
    process.close();
  }
}
