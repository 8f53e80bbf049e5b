package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.SwitchoverRequest;
import dev.dialtone.proto.v1.SwitchoverResponse;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone switchover --to REGION}: a planned move under every safety rule. */
@Command(name = "switchover", mixinStandardHelpOptions = true,
    description = "Moves traffic to a healthy, ready standby, subject to every safety rule.")
public final class SwitchoverCommand extends AdminVerb<SwitchoverResponse> {
  @Option(names = "--to", required = true, paramLabel = "REGION", description = "The region to make active.")
  String to;

  @Option(names = "--reason", defaultValue = "", description = "Why, for the history.")
  String reason;

  @Option(names = "--dry-run", description = "Only show the plan.")
  boolean dryRun;

  @Override
  SwitchoverResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.switchover(SwitchoverRequest.newBuilder().setToRegion(to).setReason(reason).setDryRun(dryRun).build());
  }

  @Override
  Optional<String> problem(SwitchoverResponse r, AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return ShiftOutcome.problem(to, dryRun, r.hasPlan() ? Optional.of(r.getPlan()) : Optional.empty(),
        () -> admin.getStatus(GetStatusRequest.getDefaultInstance()));
  }

  @Override
  String table(SwitchoverResponse r) {
    return r.getReason() + (r.hasPlan() ? "\n" + Tables.plan(r.getPlan()) : "");
  }
}
