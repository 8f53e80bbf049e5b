package dev.dialtone.cli.lab;

import dev.dialtone.chaos.report.DrillReport;
import dev.dialtone.chaos.report.Figure;
import dev.dialtone.chaos.run.TimelineEvent;
import dev.dialtone.lab.Lab;
import dev.dialtone.lab.LabNotifications;
import dev.dialtone.lab.LabDrills;
import dev.dialtone.lab.LabSettings;
import dev.dialtone.lab.ProbeProfile;
import dev.dialtone.lab.LabCalls;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dialtone lab}: starts the whole system on this machine, runs a game day against it with a
 * live timeline, writes the report, and tears everything down (also on Ctrl-C).
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    subcommands = {LabBenchCommand.class, LabCampaignCommand.class, LabFaultCommand.class},
    description = "Runs the one-machine lab: ZooKeeper, three control-plane replicas, region agents, PostgreSQL, Redis, "
        + "an LLM stand-in, BIND, Kamailio and SIPp calls, with mTLS on; then a drill (default: the active region's "
        + "LLM stops answering) with its live timeline; writes the report (JSON, Markdown, HTML) and tears "
        + "everything down, also on Ctrl-C.")
public final class LabCommand implements Callable<Integer> {
  @Option(names = "--drill", defaultValue = "llm-timeout", paramLabel = "NAME",
      description = "The drill to run (bundled: llm-timeout, carrier-blackhole, outage, leader-kill-mid-failover); 'none' only starts the lab. Default: ${DEFAULT-VALUE}.")
  String drill;

  @Option(names = "--regions", split = ",", paramLabel = "ID", defaultValue = "us-east,us-west,eu-west",
      description = "Two or three region ids, preferred first. Default: ${DEFAULT-VALUE}.")
  List<String> regions;

  @Option(names = "--profile", defaultValue = "DEFAULT", paramLabel = "PROFILE",
      description = "Probe profile: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.")
  ProbeProfile profile;

  @Option(names = "--calls-per-second", defaultValue = "2", paramLabel = "N", description = "The SIPp call trickle. Default: ${DEFAULT-VALUE}.")
  int callsPerSecond;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "Where peers keep data, configs, logs and reports. Default: lab-runs/<date-time> here.")
  Path workDir;

  @Option(names = "--hold", defaultValue = "0s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Keep the lab up this long after the drill (e.g. 10m) to explore it with the other commands.")
  Duration hold;

  @Option(names = "--spare-region", paramLabel = "ID", defaultValue = "",
      description = "Also run the peers and agent of a region no replica's file names, for a pipeline to register"
          + " (`tofu apply`); its edge and the replicas' addresses go to <work>/pipeline.json.")
  String spareRegion;

  private static final Logger log = LoggerFactory.getLogger(LabCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir = workDir != null ? workDir
        : Path.of("lab-runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    LabSettings settings;
    try {
      settings = new LabSettings(dir.toAbsolutePath(), regions, profile, callsPerSecond, true).withSpareRegion(spareRegion);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Duration keep = hold;
    Files.createDirectories(settings.workDir());
    Path logFile = LabLog.redirect(settings.workDir());
    out.println("dialtone lab: " + regions.size() + " regions, " + profile.name().toLowerCase() + " probes, work dir " + settings.workDir());
    out.println("  logs: " + logFile);
    out.flush();
    Lab lab = Lab.create(settings, line -> {
      out.println(line);
      out.flush();
    });
    AtomicBoolean done = new AtomicBoolean();
    Thread hook = new Thread(() -> {
      if (!done.get()) {
        printCalls(lab, out);
        out.println("interrupted: tearing the lab down");
        out.flush();
      }
      lab.close();
    }, "lab-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    int status = 0;
    try {
      try {
        lab.start();
      } catch (Exception e) {
        // One line naming the part and why (its message's first line carries its log's path); the
        // whole story, with the peer's log tail, is in lab.log.
        log.error("[lab] start failed", e);
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("").replaceAll(":$", "");
        spec.commandLine().getErr().println("dialtone lab: could not start: " + why + " (details: " + logFile + ")");
        spec.commandLine().getErr().flush();
        return 1;
      }
      if (!"none".equals(drill)) {
        status = runDrill(lab, out);
      }
      if (!keep.isZero()) {
        out.println("holding the lab up for " + dev.dialtone.config.Durations.format(hold) + " (Ctrl-C to stop); configs under "
            + settings.workDir().resolve("config"));
        String server = lab.leader().map(r -> "127.0.0.1:" + r.grpcPort()).orElse("127.0.0.1:?");
        String identity = lab.operatorTlsDir().map(d -> " --tls-dir " + d).orElse(" --plaintext");
        out.println("try:  ./dialtone status --server " + server + identity);
        out.println("      ./dialtone drill list --server " + server + identity);
        out.println("      ./dialtone history --server " + server + identity);
        out.println("      ./dialtone lab fault kill|stop|cont|cut-zookeeper|cut-agents|heal <cp-1|cp-2|cp-3|agent-<region>|zk1..3>"
            + " --work-dir " + settings.workDir());
        if (!spareRegion.isEmpty()) {
          out.println("spare region " + spareRegion + ": its agent runs, no replica has it; register it from a pipeline with "
              + settings.workDir().resolve("pipeline.json"));
        }
        out.flush();
        Thread.sleep(keep.toMillis()); // the operator asked to keep the lab up this long (Ctrl-C ends it)
        printCalls(lab, out);
      }
    } finally {
      done.set(true);
      lab.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs (and finds the lab closed)
      }
    }
    return status;
  }

  private int runDrill(Lab lab, PrintWriter out) throws Exception {
    LabDrills drills = lab.drills();
    out.println();
    out.println("game day: drill '" + drill + "' on the leader (" + lab.leader().map(r -> r.name()).orElse("?") + ")");
    out.flush();
    AtomicReference<Instant> t0 = new AtomicReference<>();
    DrillReport report = drills.run(drill, "dialtone lab", e -> {
      t0.compareAndSet(null, e.at());
      out.println(timelineLine(t0.get(), e));
      out.flush();
    }, Duration.ofMinutes(10));
    out.println();
    out.println("drill " + report.runId() + ": " + report.state() + (report.passed() ? " (passed)" : " (did not pass)")
        + (report.reason().isEmpty() ? "" : " - " + report.reason()));
    for (Figure f : report.figures()) {
      out.printf("  %-42s %-24s objective %-10s %s%n", f.name(), f.measured(), f.objective() == null ? "-" : f.objective(),
          f.met() == null ? "" : f.met() ? "met" : "MISSED");
    }
    report.breaches().forEach(b -> out.println("  breach: " + b));
    printCalls(lab, out);
    printNotifications(lab, report, out);
    for (Path p : drills.write(report, lab.settings().workDir().resolve("reports"))) {
      out.println("report: " + p);
    }
    out.flush();
    return report.passed() ? 0 : 1;
  }

  // Where the drill's notifications went: the lab's webhook stand-in, which the replicas post to as
  // they would to an operator's. The drill's own end is raised after its report: wait for it, 10 s at most.
  private static void printNotifications(Lab lab, DrillReport report, PrintWriter out) throws InterruptedException {
    LabNotifications receiver = lab.notifications();
    if (receiver == null) {
      return;
    }
    Instant from = report.startedAt();
    receiver.await(from, n -> n.kind().startsWith("drill.") && !n.kind().equals("drill.started"), Duration.ofSeconds(10));
    List<LabNotifications.Received> got = receiver.since(from);
    out.println("notifications of this drill: " + got.size() + " to receiver lab-webhook (local stand-in, " + receiver.log() + ")");
    for (LabNotifications.Received n : got) {
      out.printf("  %-20s %-9s %s%n", n.kind(), n.severity(), n.summary());
    }
    out.flush();
  }

  private static void printCalls(Lab lab, PrintWriter out) {
    if (lab.calls() != null) {
      LabCalls.Summary calls = lab.calls().soFar();
      out.printf("lab calls: %d placed, %d answered, %d failed%n", calls.placed(), calls.answered(), calls.failed());
      out.flush();
    }
  }

  static String timelineLine(Instant t0, TimelineEvent e) {
    double s = Duration.between(t0, e.at()).toMillis() / 1000.0;
    return String.format("  %+8.3f s  %-20s %s", s, e.kind(), e.detail());
  }
}
