package dev.dialtone.cli.controlplane;

import com.google.protobuf.Duration;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.FreezeRequest;
import dev.dialtone.proto.v1.FreezeResponse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone freeze --reason WHY [--for DURATION]}. */
@Command(name = "freeze", mixinStandardHelpOptions = true, description = "Stops every automatic change until unfrozen.")
public final class FreezeCommand extends AdminVerb<FreezeResponse> {
  @Option(names = "--reason", required = true, description = "Why, for the history.")
  String reason;

  @Option(names = "--for", paramLabel = "DURATION", description = "Lift by itself after this long (ISO-8601, e.g. PT2H).")
  java.time.Duration duration;

  @Override
  FreezeResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    FreezeRequest.Builder b = FreezeRequest.newBuilder().setReason(reason);
    if (duration != null) {
      b.setDuration(Duration.newBuilder().setSeconds(duration.getSeconds()));
    }
    return admin.freeze(b.build());
  }

  @Override
  String table(FreezeResponse r) {
    return "mode " + r.getMode().name().replace("MODE_", "")
        + (r.hasFreeze() ? " by " + r.getFreeze().getPrincipal() + ": " + r.getFreeze().getReason()
            + (r.getFreeze().hasUntil() ? " until " + Tables.time(r.getFreeze().getUntil()) : "") : "");
  }
}
