package dev.dialtone.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single {@code dialtone} command: servers (agent, control plane, lab) and operator verbs. */
@Command(
    name = "dialtone",
    mixinStandardHelpOptions = true,
    versionProvider = Dialtone.Version.class,
    description = "Active/standby multi-region control plane for AI voice deployments.",
    subcommands = {CommandLine.HelpCommand.class, dev.dialtone.cli.agent.AgentCommand.class, dev.dialtone.cli.dns.DnsCommand.class,
        dev.dialtone.cli.controlplane.ControlPlaneCommand.class, dev.dialtone.cli.controlplane.StatusCommand.class,
        dev.dialtone.cli.controlplane.SwitchoverCommand.class, dev.dialtone.cli.controlplane.FailoverCommand.class,
        dev.dialtone.cli.controlplane.FreezeCommand.class, dev.dialtone.cli.controlplane.UnfreezeCommand.class,
        dev.dialtone.cli.controlplane.ModeCommand.class,
        dev.dialtone.cli.controlplane.OutageCommand.class, dev.dialtone.cli.controlplane.HistoryCommand.class,
        dev.dialtone.cli.controlplane.RegionsCommand.class, dev.dialtone.cli.drill.DrillCommand.class,
        dev.dialtone.cli.lab.LabCommand.class, CompletionCommand.class})
public final class Dialtone implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with every subcommand registered, for main and for tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Dialtone()).setCaseInsensitiveEnumValuesAllowed(true);
    return cli.setParameterExceptionHandler(
        new dev.dialtone.cli.controlplane.ErrorReport.UsageHandler(cli.getParameterExceptionHandler()));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
  }

  /** Reads the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Dialtone.class.getPackage().getImplementationVersion();
      return new String[] {"dialtone " + (v == null ? "(development build)" : v)};
    }
  }
}
