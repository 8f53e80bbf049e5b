package dev.dialtone.cli.drill;

import dev.dialtone.cli.controlplane.ExtendableAdminVerb;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.DeleteDrillRequest;
import dev.dialtone.proto.v1.DeleteDrillResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dialtone drill delete NAME --reason WHY}: removes a stored drill for every replica; recorded in the history. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Deletes a stored drill for every replica (a seed directory does not bring it back; a run going on is not stopped).")
public final class DeleteCommand extends ExtendableAdminVerb<DeleteDrillResponse> {
  @Parameters(index = "0", paramLabel = "NAME", description = "The drill, as `drill list` shows it.")
  String name;

  @Option(names = "--reason", required = true, description = "Why, for the history.")
  String reason;

  @Override
  protected DeleteDrillResponse call(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.deleteDrill(DeleteDrillRequest.newBuilder().setName(name).setReason(reason).build());
  }

  @Override
  protected String render(DeleteDrillResponse r) {
    return "drill " + name + " deleted";
  }
}
