package dev.dialtone.cli.lab;

import dev.dialtone.lab.LabFaults;
import dev.dialtone.lab.LabState;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dialtone lab fault <action> <process> --work-dir DIR}: a fault of one real process of a
 * held lab ({@code dialtone lab --hold 10m}), the same levers the tests and drills use.
 */
@Command(name = "fault", mixinStandardHelpOptions = true,
    description = "Faults one process of a running lab (started with --hold): kill (kill -9), stop (SIGSTOP), cont (SIGCONT),"
        + " cut-zookeeper or cut-agents (a replica cut off by Toxiproxy blackholes), heal (removes the cuts).")
public final class LabFaultCommand implements Callable<Integer> {
  /** What to do to the process. */
  enum Action { kill, stop, cont, cut_zookeeper, cut_agents, heal }

  @Parameters(index = "0", paramLabel = "ACTION", description = "kill | stop | cont | cut-zookeeper | cut-agents | heal")
  String action;

  @Parameters(index = "1", paramLabel = "PROCESS", description = "cp-1, cp-2, cp-3, agent-<region>, zk1, zk2, zk3")
  String process;

  @Option(names = "--work-dir", required = true, paramLabel = "DIR", description = "The running lab's work directory.")
  Path workDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Action a;
    try {
      a = Action.valueOf(action.replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "unknown action '" + action + "': kill, stop, cont, cut-zookeeper, cut-agents or heal");
    }
    LabFaults faults;
    try {
      faults = new LabFaults(LabState.read(workDir));
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("dialtone lab fault: " + e.getMessage());
      return 78;
    }
    try {
      switch (a) {
        case kill -> faults.kill(process);
        case stop -> faults.stop(process);
        case cont -> faults.cont(process);
        case cut_zookeeper -> faults.cutFromZooKeeper(process);
        case cut_agents -> faults.cutFromAgents(process);
        case heal -> faults.heal(process);
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      spec.commandLine().getErr().println("dialtone lab fault: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println(action + " " + process + ": done");
    return 0;
  }
}
