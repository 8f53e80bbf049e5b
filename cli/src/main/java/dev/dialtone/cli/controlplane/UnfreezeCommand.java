package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.UnfreezeRequest;
import dev.dialtone.proto.v1.UnfreezeResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone unfreeze}. */
@Command(name = "unfreeze", mixinStandardHelpOptions = true, description = "Resumes the configured mode.")
public final class UnfreezeCommand extends AdminVerb<UnfreezeResponse> {
  @Option(names = "--reason", defaultValue = "", description = "Why, for the history.")
  String reason;

  @Override
  UnfreezeResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.unfreeze(UnfreezeRequest.newBuilder().setReason(reason).build());
  }

  @Override
  String table(UnfreezeResponse r) {
    return "mode " + r.getMode().name().replace("MODE_", "");
  }
}
