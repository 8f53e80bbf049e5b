package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.SetOutageModeRequest;
import dev.dialtone.proto.v1.SetOutageModeResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dialtone outage on|off --reason WHY}. */
@Command(name = "outage", mixinStandardHelpOptions = true,
    description = "Enters (on) or leaves (off) outage mode by hand: calls go to the fallback destinations.")
public final class OutageCommand extends AdminVerb<SetOutageModeResponse> {
  /** The two states. */
  public enum Switch { on, off }

  @Parameters(index = "0", paramLabel = "on|off", description = "on or off.")
  Switch state;

  @Option(names = "--reason", required = true, description = "Why, for the history.")
  String reason;

  @Override
  SetOutageModeResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.setOutageMode(SetOutageModeRequest.newBuilder().setEnabled(state == Switch.on).setReason(reason).build());
  }

  @Override
  String table(SetOutageModeResponse r) {
    return r.getReason() + (r.hasPlan() ? "\n" + Tables.plan(r.getPlan()) : "");
  }
}
