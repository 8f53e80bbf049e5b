package dev.dialtone.cli.agent;

import dev.dialtone.agent.RegionAgent;
import dev.dialtone.agent.config.AgentConfig;
import dev.dialtone.config.ConfigException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone agent --config agent.yaml}: runs a region agent until SIGTERM or Ctrl-C. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Runs a region agent: probes the region's dependencies and streams health to every control-plane replica.")
public final class AgentCommand implements Callable<Integer> {
  /** Exit status for a configuration the agent refuses (sysexits.h EX_CONFIG). */
  public static final int EXIT_CONFIG = 78;

  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The agent's YAML configuration.")
  Path config;

  @Option(names = "--check", description = "Only read and validate the file (secrets it names included), then exit: 0 if"
      + " the agent would start with it, 78 with every problem named by file, line and field.")
  boolean check;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private final Map<String, String> environment;

  /** Reads secrets from the process environment. */
  public AgentCommand() {
    this(System.getenv());
  }

  AgentCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public Integer call() throws InterruptedException {
    AgentConfig agentConfig;
    try {
      agentConfig = AgentConfig.loader(environment).load(config);
    } catch (ConfigException e) {
      e.problems().forEach(p -> spec.commandLine().getErr().println("dialtone agent: refusing to start: " + p));
      return EXIT_CONFIG;
    }
    if (check) {
      spec.commandLine().getOut().println(config + ": valid (agent " + agentConfig.agentId() + " of region "
          + agentConfig.region() + ", deployment " + agentConfig.deployment() + ")");
      return 0;
    }
    RegionAgent agent = RegionAgent.create(agentConfig);
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM and Ctrl-C run shutdown hooks: close probes, streams and the HTTP server cleanly.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      agent.close();
      stopped.countDown();
    }, "agent-shutdown"));
    agent.start();
    stopped.await();
    return 0;
  }
}
