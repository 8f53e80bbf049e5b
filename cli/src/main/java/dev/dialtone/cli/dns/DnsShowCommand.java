package dev.dialtone.cli.dns;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.dns.ownership.OwnerRecord;
import dev.dialtone.dns.provider.ZoneSnapshot;
import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordSet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone dns show}: what the zone holds for the managed names, who owns them, at which epoch. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Shows the managed records, their owner and epoch, read from the DNS server.")
public final class DnsShowCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The deployment's YAML configuration.")
  Path config;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DnsSession session = DnsSession.open(config, err);
    if (session == null) {
      return DnsSession.EXIT_CONFIG;
    }
    try (session) {
      ZoneSnapshot zone = session.actuator.snapshot();
      ObservedRouting routing = session.actuator.read();
      out.println("zone " + session.config.dns().zone() + " via " + session.provider);
      out.println("deployment " + session.config.dns().deployment());
      out.println("routing " + (routing.outageMode() ? "OUTAGE" : String.join(" > ", routing.regionIds()))
          + " (owner epoch " + routing.ownerEpoch() + ")");
      Set<String> names = new LinkedHashSet<>();
      session.config.dns().records().forEach(r -> names.add(r.name()));
      for (String name : names) {
        out.println("owner  " + name + " " + owner(zone.get(OwnerRecord.keyFor(name)), session.config.dns().deployment()));
      }
      for (ManagedRecord r : session.config.dns().records()) {
        out.println("record " + zone.get(r.key()).map(RecordSet::toString).orElse(r.key() + " (absent)"));
      }
      out.flush();
      return 0;
    } catch (ActuationException e) {
      return DnsSession.failed(err, e);
    }
  }

  private static String owner(Optional<RecordSet> owner, String deployment) {
    if (owner.isEmpty()) {
      return "unowned";
    }
    Optional<OwnerRecord> parsed = owner.get().data().size() == 1 ? OwnerRecord.parse(owner.get().data().get(0)) : Optional.empty();
    if (parsed.isPresent() && parsed.get().deployment().equals(deployment)) {
      return "ours, epoch " + parsed.get().epoch();
    }
    return "FOREIGN " + owner.get().data() + " (Dialtone will not touch it)";
  }
}
