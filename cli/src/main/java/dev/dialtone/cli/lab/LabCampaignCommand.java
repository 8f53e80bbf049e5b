package dev.dialtone.cli.lab;

import dev.dialtone.lab.LabCampaign;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone lab campaign}: seeded random fault schedules against the process lab, each judged by a checker. */
@Command(name = "campaign", mixinStandardHelpOptions = true,
    description = "Starts a two-region lab and runs N seeded random fault schedules against its processes while calls "
        + "flow (kill -9 / SIGSTOP of the leader or a follower, a replica cut off from ZooKeeper or the agents, a ZooKeeper "
        + "server killed or the quorum lost, an agent killed, dependency down or slow, an operator's switchover), then checks each schedule's history: no stale "
        + "write accepted, no two leaders acting at once, no false failover, every operator action recorded, no call "
        + "failed outside a regional fault. Prints the figures; exits 1 if any schedule failed, with its replay command.")
public final class LabCampaignCommand implements Callable<Integer> {
  @Option(names = "--schedules", defaultValue = "10", paramLabel = "N", description = "Schedules 1..N. Default: ${DEFAULT-VALUE}.")
  int schedules;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "The campaign's seed. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--only", paramLabel = "I", description = "Run schedule I of the seed alone (a failed schedule's replay).")
  Integer only;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "Default: lab-runs/campaign-<date-time> here.")
  Path workDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (schedules < 1 || schedules > 1000) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--schedules must be 1..1000, not " + schedules);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dir = LabBenchCommand.prepare(workDir, "campaign");
    List<Integer> indexes = only != null ? List.of(only) : IntStream.rangeClosed(1, schedules).boxed().toList();
    out.printf("dialtone lab campaign: seed %d, %d schedule(s), work dir %s, logs %s%n", seed, indexes.size(), dir,
        dir.resolve("lab.log"));
    out.flush();
    LabCampaign.Figures f = new LabCampaign(dir, seed, indexes, out, UnaryOperator.identity()).run();
    return f.passed() == f.run() ? 0 : 1;
  }
}
