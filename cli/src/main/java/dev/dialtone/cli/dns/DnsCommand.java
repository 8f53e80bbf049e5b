package dev.dialtone.cli.dns;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dialtone dns}: break-glass DNS commands, thin over the dns-updater library. */
@Command(
    name = "dns",
    mixinStandardHelpOptions = true,
    description = "Break-glass DNS: show what the zone holds and who owns it; apply a placement by hand.",
    subcommands = {DnsShowCommand.class, DnsApplyCommand.class})
public final class DnsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: show or apply");
  }
}
