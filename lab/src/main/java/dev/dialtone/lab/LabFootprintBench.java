package dev.dialtone.lab;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each lab process's footprint as shipped: starts a lab (two regions, agents with four probes at
 * 1 Hz, calls flowing), lets it settle, then reads every process's RSS and the CPU it used over a
 * window from {@code /proc}. The JVMs run with the options the launcher and the units use (the
 * {@code dev/dialtone/jvm/<role>.options} files), printed from the processes' own command lines.
 */
public final class LabFootprintBench {
  /** RSS goals in MiB: a region agent shares its host with the region's services. */
  static final long AGENT_RSS_MIB = 96;
  static final long REPLICA_RSS_MIB = 256;
  /** CPU goal of an agent, in percent of one core. */
  static final double AGENT_CPU_PERCENT = 2.0;
  private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux ABI Dialtone runs on

  private final Path workDir;
  private final Duration settle;
  private final Duration window;
  private final PrintWriter out;

  public LabFootprintBench(Path workDir, Duration settle, Duration window, PrintWriter out) {
    if (window.compareTo(Duration.ofSeconds(5)) < 0 || window.compareTo(Duration.ofMinutes(30)) > 0) {
      throw new IllegalArgumentException("lab bench footprint: the window must be 5s..30m, not " + window);
    }
    if (settle.isNegative() || settle.compareTo(Duration.ofMinutes(30)) > 0) {
      throw new IllegalArgumentException("lab bench footprint: settling must be 0..30m, not " + settle);
    }
    this.workDir = workDir;
    this.settle = settle;
    this.window = window;
    this.out = out;
  }

  /** One process's reading. */
  record Reading(String name, String kind, long pid, long rssKib, long peakKib, double cpuPercent) {}

  /** Runs the measurement; returns true when every goal was met. */
  public boolean run() throws Exception {
    LabSettings settings = new LabSettings(workDir, List.of("us-east", "us-west"), ProbeProfile.DEFAULT, 2, true);
    List<Reading> readings = new ArrayList<>();
    Map<String, String> options = new LinkedHashMap<>();
    try (Lab lab = Lab.start(settings, line -> {})) {
      out.printf("  lab up in %.1f s; settling %d s, then measuring CPU over %d s%n", lab.upIn().toMillis() / 1000.0,
          settle.toSeconds(), window.toSeconds());
      out.flush();
      Thread.sleep(settle.toMillis()); // the benchmark's settling time, bounded by the constructor
      LabState state = LabState.read(workDir);
      Map<String, Long> before = new LinkedHashMap<>();
      for (LabState.Entry e : state.processes()) {
        before.put(e.name(), cpuTicks(e.pid()));
      }
      long t0 = System.nanoTime();
      Thread.sleep(window.toMillis()); // the measuring window, bounded by the constructor
      double seconds = (System.nanoTime() - t0) / 1e9;
      for (LabState.Entry e : state.processes()) {
        long used = cpuTicks(e.pid()) - before.get(e.name());
        Map<String, Long> status = status(e.pid());
        readings.add(new Reading(e.name(), e.kind(), e.pid(), status.get("VmRSS"), status.get("VmHWM"),
            100.0 * used / CLOCK_TICKS_PER_SECOND / seconds));
        options.putIfAbsent(e.kind(), jvmOptions(e.pid()));
      }
    }
    boolean allMet = true;
    out.println();
    out.println("process        kind       RSS MiB  peak MiB  CPU % of a core  goal                    result");
    for (Reading r : readings) {
      String goal = goal(r.kind());
      boolean met = met(r);
      allMet &= met;
      out.printf("%-14s %-9s %8d %9d %16.2f  %-23s %s%n", r.name(), r.kind(), r.rssKib() / 1024, r.peakKib() / 1024,
          r.cpuPercent(), goal, goal.equals("-") ? "" : met ? "met" : "MISSED");
    }
    out.println();
    options.forEach((kind, opts) -> out.println("JVM options of " + kind + " (from its command line): " + opts));
    out.flush();
    return allMet;
  }

  static String goal(String kind) {
    return switch (kind) {
      case "agent" -> "<= " + AGENT_RSS_MIB + " MiB, <= " + AGENT_CPU_PERCENT + " %";
      case "replica" -> "<= " + REPLICA_RSS_MIB + " MiB";
      default -> "-";
    };
  }

  static boolean met(Reading r) {
    return switch (r.kind()) {
      case "agent" -> r.rssKib() <= AGENT_RSS_MIB * 1024 && r.cpuPercent() <= AGENT_CPU_PERCENT;
      case "replica" -> r.rssKib() <= REPLICA_RSS_MIB * 1024;
      default -> true;
    };
  }

  /** User + system CPU time of {@code pid}, in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The {@code kB} lines of {@code /proc/<pid>/status}. */
  static Map<String, Long> status(long pid) throws IOException {
    Map<String, Long> values = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      String[] kv = line.split(":\\s+", 2);
      if (kv.length == 2 && kv[1].endsWith(" kB")) {
        values.put(kv[0], Long.parseLong(kv[1].substring(0, kv[1].length() - 3).strip()));
      }
    }
    return values;
  }

  /** The JVM's {@code -X}/{@code -D} options as the process was really started. */
  static String jvmOptions(long pid) throws IOException {
    String[] args = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8).split("\0");
    List<String> opts = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("-X") || a.startsWith("-D")) {
        opts.add(a);
      }
    }
    return String.join(" ", opts);
  }
}
