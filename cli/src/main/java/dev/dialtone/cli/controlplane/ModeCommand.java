package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.Mode;
import dev.dialtone.proto.v1.SetModeRequest;
import dev.dialtone.proto.v1.SetModeResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dialtone mode AUTO|MANUAL --reason WHY}: how much the control plane does on its own. */
@Command(name = "mode", mixinStandardHelpOptions = true,
    description = {"Sets the deployment's mode: AUTO shifts traffic on confirmed failure; MANUAL decides,",
        "records and alerts, and an operator acts. A freeze (dialtone freeze) holds everything regardless."})
public final class ModeCommand extends AdminVerb<SetModeResponse> {
  /** The modes an operator sets here. */
  public enum Wanted { AUTO, MANUAL }

  @Parameters(index = "0", paramLabel = "MODE", description = "AUTO or MANUAL.")
  Wanted mode;

  @Option(names = "--reason", required = true, description = "Why, for the history.")
  String reason;

  @Override
  SetModeResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.setMode(SetModeRequest.newBuilder().setMode(mode == Wanted.AUTO ? Mode.MODE_AUTO : Mode.MODE_MANUAL)
        .setReason(reason).build());
  }

  @Override
  String table(SetModeResponse r) {
    return "mode " + r.getMode().name().replace("MODE_", "") + (r.getChanged() ? "" : " (unchanged)")
        + (r.getMode() == Mode.MODE_FROZEN ? " (frozen: " + mode + " applies once unfrozen)" : "");
  }
}
