package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.FailoverRequest;
import dev.dialtone.proto.v1.FailoverResponse;
import dev.dialtone.proto.v1.GetStatusRequest;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone failover --to REGION --reason WHY [--force]}. */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Moves traffic now; --force skips the target-health rule (never the fencing).")
public final class FailoverCommand extends AdminVerb<FailoverResponse> {
  @Option(names = "--to", required = true, paramLabel = "REGION", description = "The region to make active.")
  String to;

  @Option(names = "--reason", required = true, description = "Why, for the history.")
  String reason;

  @Option(names = "--force", description = "Skip the target-health rule.")
  boolean force;

  @Option(names = "--dry-run", description = "Only show the plan.")
  boolean dryRun;

  @Override
  FailoverResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.failover(FailoverRequest.newBuilder().setToRegion(to).setReason(reason).setForce(force).setDryRun(dryRun).build());
  }

  @Override
  Optional<String> problem(FailoverResponse r, AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return ShiftOutcome.problem(to, dryRun, r.hasPlan() ? Optional.of(r.getPlan()) : Optional.empty(),
        () -> admin.getStatus(GetStatusRequest.getDefaultInstance()));
  }

  @Override
  String table(FailoverResponse r) {
    return r.getReason() + (r.hasPlan() ? "\n" + Tables.plan(r.getPlan()) : "");
  }
}
