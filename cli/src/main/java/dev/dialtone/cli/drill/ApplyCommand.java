package dev.dialtone.cli.drill;

import dev.dialtone.cli.controlplane.ExtendableAdminVerb;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.ApplyDrillRequest;
import dev.dialtone.proto.v1.ApplyDrillResponse;
import io.grpc.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dialtone drill apply -f FILE}: the leader validates the drill against the deployment
 * (problems name the file, line and field) and stores it in ZooKeeper for every replica.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = "Validates a drill file on the leader and stores it for every replica (creating or replacing it by name).")
public final class ApplyCommand extends ExtendableAdminVerb<ApplyDrillResponse> {
  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The drill's YAML file.")
  Path file;

  @Option(names = "--reason", description = "Why, for the history.")
  String reason = "";

  @Override
  protected boolean idempotent() {
    return true; // applying the same text again answers UNCHANGED
  }

  @Override
  protected ApplyDrillResponse call(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Status.INVALID_ARGUMENT.withDescription("cannot read " + file + " (" + e.getMessage() + ")").asRuntimeException();
    }
    return admin.applyDrill(ApplyDrillRequest.newBuilder().setFile(file.toString()).setYaml(yaml).setReason(reason).build());
  }

  @Override
  protected String render(ApplyDrillResponse r) {
    String outcome = r.getOutcome().name().replace("APPLY_OUTCOME_", "").toLowerCase(java.util.Locale.ROOT);
    StringBuilder s = new StringBuilder("drill " + r.getName() + " " + outcome);
    r.getWarningsList().forEach(w -> s.append("\nwarning: ").append(w));
    return s.toString();
  }
}
