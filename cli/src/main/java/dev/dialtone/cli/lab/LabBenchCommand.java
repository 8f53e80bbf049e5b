package dev.dialtone.cli.lab;

import dev.dialtone.lab.LabBench;
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
    description = "Runs drills in the lab, each breaking the active region's LLM, and prints fault -> carrier shifted "
        + "and fault -> DNS shifted (median, p99, p99 in probe intervals) against the goal, and failed lab calls. "
        + "Exits 1 when a goal is missed.")
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
    Path dir = workDir != null ? workDir
        : Path.of("lab-runs", "bench-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Files.createDirectories(dir.toAbsolutePath());
    Path log = LabLog.redirect(dir.toAbsolutePath());
    out.printf("dialtone lab bench: %d drills x %s x %s, work dir %s, logs %s%n", drills, profiles, faults, dir.toAbsolutePath(), log);
    out.flush();
    return new LabBench(dir.toAbsolutePath(), drills, profiles, faults, out).run() ? 0 : 1;
  }
}
