package dev.dialtone.cli.controlplane;

import dev.dialtone.config.ConfigException;
import dev.dialtone.controlplane.config.ControlPlaneConfig;
import dev.dialtone.controlplane.config.ControlPlaneConfigLoader;
import dev.dialtone.controlplane.server.ControlPlaneReplica;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone control-plane --config cp.yaml}: runs a replica until SIGTERM or Ctrl-C. */
@Command(name = "control-plane", mixinStandardHelpOptions = true,
    description = "Runs a control-plane replica: election, health view, placement policy, fenced plans, admin API.")
public final class ControlPlaneCommand implements Callable<Integer> {
  /** Exit status for a configuration the replica refuses (sysexits.h EX_CONFIG). */
  public static final int EXIT_CONFIG = 78;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The replica's YAML configuration.")
  Path config;

  @Option(names = "--check", description = "Only read and validate the file, then exit: 0 if the replica would start"
      + " with it, 78 with every problem named by file, line and field.")
  boolean check;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ControlPlaneConfig c;
    try {
      c = new ControlPlaneConfigLoader().load(config);
    } catch (ConfigException e) {
      e.problems().forEach(p -> spec.commandLine().getErr().println("dialtone control-plane: refusing to start: " + p));
      return EXIT_CONFIG;
    }
    if (c.mode() == ControlPlaneConfig.Operation.ACTUATE && !c.drivesTraffic()) {
      spec.commandLine().getErr().println("dialtone control-plane: refusing to start: " + config + ":1: "
          + ControlPlaneConfig.NO_ACTUATOR);
      return EXIT_CONFIG;
    }
    if (check) {
      spec.commandLine().getOut().println(config + ": valid (replica " + c.replicaId() + " of deployment " + c.deployment()
          + ", " + c.regions().size() + " regions)");
      return 0;
    }
    ControlPlaneReplica replica = new ControlPlaneReplica(c).start();
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM and Ctrl-C: hand leadership over at once, then stop serving.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      replica.close();
      stopped.countDown();
    }, "control-plane-shutdown"));
    stopped.await();
    return 0;
  }
}
