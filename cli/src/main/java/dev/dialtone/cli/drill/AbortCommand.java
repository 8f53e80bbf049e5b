package dev.dialtone.cli.drill;

import dev.dialtone.cli.controlplane.ExtendableAdminVerb;
import dev.dialtone.proto.v1.AbortDrillRequest;
import dev.dialtone.proto.v1.AbortDrillResponse;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dialtone drill abort RUN-ID --reason WHY}: heals at once; recorded in the history. */
@Command(name = "abort", mixinStandardHelpOptions = true, description = "Aborts a running drill on the leader; its faults are healed at once.")
public final class AbortCommand extends ExtendableAdminVerb<AbortDrillResponse> {
  @Parameters(index = "0", paramLabel = "RUN-ID", description = "The run, as `drill run` or `drill list` shows it.")
  String runId;

  @Option(names = "--reason", required = true, description = "Why, for the history.")
  String reason;

  @Override
  protected AbortDrillResponse call(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.abortDrill(AbortDrillRequest.newBuilder().setRunId(runId).setReason(reason).build());
  }

  @Override
  protected String render(AbortDrillResponse r) {
    return "abort requested: " + (r.hasRun() ? DrillCommand.line(r.getRun()) : "run " + runId);
  }
}
