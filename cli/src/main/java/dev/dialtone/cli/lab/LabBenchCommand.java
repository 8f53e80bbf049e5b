package dev.dialtone.cli.lab;

import dev.dialtone.lab.LabBench;
import dev.dialtone.lab.LabFootprintBench;
import dev.dialtone.lab.LabTakeoverBench;
import dev.dialtone.lab.ProbeProfile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone lab bench}: fault → traffic shifted, measured over many drills in the lab. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {LabBenchCommand.Footprint.class, LabBenchCommand.Takeover.class},
    description = "Runs drills in the lab, each breaking the active region's LLM, and prints fault -> carrier shifted "
        + "and fault -> DNS shifted (median, p99, p99 in probe intervals) against the goal, and failed lab calls. "
        + "Exits 1 when a goal is missed. Subcommands measure each process's footprint and leader takeover.")
public final class LabBenchCommand implements Callable<Integer> {
  @Option(names = "--drills", defaultValue = "50", paramLabel = "N", description = "Drills per profile and fault. Default: ${DEFAULT-VALUE}.")
  int drills;

  @Option(names = "--profiles", split = ",", defaultValue = "DEFAULT,FAST", paramLabel = "PROFILE",
      description = "Probe profiles: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  List<ProbeProfile> profiles;

  @Option(names = "--faults", split = ",", defaultValue = "HARD,BLACKHOLE", paramLabel = "FAULT",
      description = "HARD (proxy down: connections refused) and/or BLACKHOLE (timeout: no answer). Default: ${DEFAULT-VALUE}.")
  List<LabBench.FaultKind> faults;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Default: lab-runs/bench-<date-time> here.")
  Path workDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = prepare(workDir, "bench");
    out.printf("dialtone lab bench: %d drills x %s x %s, work dir %s, logs %s%n", drills, profiles, faults, dir,
        dir.resolve("lab.log"));
    out.flush();
    return new LabBench(dir, drills, profiles, faults, out).run() ? 0 : 1;
  }

  /** The work directory ({@code lab-runs/<kind>-<date-time>} unless given), created, with the logs sent to its lab.log. */
  static Path prepare(Path given, String kind) throws java.io.IOException {
    Path dir = (given != null ? given
        : Path.of("lab-runs", kind + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))))
        .toAbsolutePath();
    Files.createDirectories(dir);
    LabLog.redirect(dir);
    return dir;
  }

  /** {@code dialtone lab bench footprint}: every lab process's RSS and CPU, as shipped. */
  @Command(name = "footprint", mixinStandardHelpOptions = true,
      description = "Starts a two-region lab with the shipped JVM options, lets it settle, then prints each process's RSS "
          + "(now and peak) and CPU over a window against the goals (agent <= 96 MiB and <= 2 % of a core with 4 probes "
          + "at 1 Hz; replica <= 256 MiB). Exits 1 when a goal is missed.")
  static final class Footprint implements Callable<Integer> {
    @Option(names = "--settle", defaultValue = "30s", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Time after the lab is up before measuring. Default: ${DEFAULT-VALUE}.")
    java.time.Duration settle;

    @Option(names = "--window", defaultValue = "60s", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long CPU is measured. Default: ${DEFAULT-VALUE}.")
    java.time.Duration window;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Default: lab-runs/footprint-<date-time> here.")
    Path workDir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = prepare(workDir, "footprint");
      out.printf("dialtone lab bench footprint: work dir %s, logs %s%n", dir, dir.resolve("lab.log"));
      out.flush();
      return new LabFootprintBench(dir, settle, window, out).run() ? 0 : 1;
    }
  }

  /** {@code dialtone lab bench takeover}: kill -9 of the leader process until a new leader acts. */
  @Command(name = "takeover", mixinStandardHelpOptions = true,
      description = "Starts a lab, then repeatedly kills the leading replica's process with kill -9, times until another "
          + "replica leads at a newer epoch, and restarts the dead one from its file. Prints median, p99 and max against "
          + "the ZooKeeper session timeout + 500 ms. Exits 1 when the goal is missed.")
  static final class Takeover implements Callable<Integer> {
    @Option(names = "--rounds", defaultValue = "20", paramLabel = "N", description = "Kills. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Default: lab-runs/takeover-<date-time> here.")
    Path workDir;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      Path dir = prepare(workDir, "takeover");
      out.printf("dialtone lab bench takeover: %d rounds, work dir %s, logs %s%n", rounds, dir, dir.resolve("lab.log"));
      out.flush();
      return new LabTakeoverBench(dir, rounds, out).run() ? 0 : 1;
    }
  }
}
