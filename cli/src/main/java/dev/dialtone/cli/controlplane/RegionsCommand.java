package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.CancelDrainRequest;
import dev.dialtone.proto.v1.CancelDrainResponse;
import dev.dialtone.proto.v1.DeregisterRegionRequest;
import dev.dialtone.proto.v1.DeregisterRegionResponse;
import dev.dialtone.proto.v1.DrainRegionRequest;
import dev.dialtone.proto.v1.DrainRegionResponse;
import dev.dialtone.proto.v1.RegionEdge;
import dev.dialtone.proto.v1.RegionStatus;
import dev.dialtone.proto.v1.RegisterRegionRequest;
import dev.dialtone.proto.v1.RegisterRegionResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dialtone regions register|drain|cancel-drain|deregister}: a region's lifecycle, for pipelines. */
@Command(name = "regions", mixinStandardHelpOptions = true,
    description = "Registers (idempotent), drains (switching over first if active), puts back (cancel-drain) or"
        + " deregisters (idempotent) a region.",
    subcommands = {RegionsCommand.Register.class, RegionsCommand.Drain.class, RegionsCommand.CancelDrain.class,
        RegionsCommand.Deregister.class})
public final class RegionsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: register, drain, cancel-drain or deregister");
  }

  static String region(RegionStatus r, boolean changed) {
    return r.getId() + ": " + r.getLifecycle().name().replace("REGION_LIFECYCLE_", "") + (changed ? "" : " (unchanged)");
  }

  /** Adds a region as PROVISIONING; re-applying the same spec changes nothing. */
  @Command(name = "register", mixinStandardHelpOptions = true, description = "Adds a region as PROVISIONING (idempotent).")
  public static final class Register extends AdminVerb<RegisterRegionResponse> {
    @Parameters(index = "0", paramLabel = "ID", description = "The region's id.")
    String id;

    @Option(names = "--priority", required = true, description = "Lower is preferred.")
    int priority;

    @Option(names = "--a", split = ",", paramLabel = "IPV4", description = "IPv4 addresses of its edge.")
    List<String> ipv4 = new ArrayList<>();

    @Option(names = "--aaaa", split = ",", paramLabel = "IPV6", description = "IPv6 addresses of its edge.")
    List<String> ipv6 = new ArrayList<>();

    @Option(names = "--sip", paramLabel = "URI", defaultValue = "", description = "The SIP URI carriers send calls to.")
    String sip;

    @Option(names = "--cname", defaultValue = "", description = "A canonical name for CNAME records.")
    String cname;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the history.")
    String reason;

    @Override
    RegisterRegionResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
      return admin.registerRegion(RegisterRegionRequest.newBuilder().setId(id).setPriority(priority).setReason(reason)
          .setEdge(RegionEdge.newBuilder().addAllIpv4(ipv4).addAllIpv6(ipv6).setSipUri(sip).setCname(cname)).build());
    }

    @Override
    String table(RegisterRegionResponse r) {
      return region(r.getRegion(), r.getChanged());
    }
  }

  /** A verb on one region: its id, and why (for the history). */
  abstract static class RegionVerb<T extends com.google.protobuf.Message> extends AdminVerb<T> {
    @Parameters(index = "0", paramLabel = "ID", description = "The region.")
    String id;

    @Option(names = "--reason", defaultValue = "", description = "Why, for the history.")
    String reason;
  }

  /** Takes a region out of rotation. */
  @Command(name = "drain", mixinStandardHelpOptions = true,
      description = "Takes a region out of rotation, switching over first if it is active.")
  public static final class Drain extends RegionVerb<DrainRegionResponse> {

    @Override
    DrainRegionResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
      return admin.drainRegion(DrainRegionRequest.newBuilder().setId(id).setReason(reason).build());
    }

    @Override
    String table(DrainRegionResponse r) {
      return region(r.getRegion(), r.getChanged()) + (r.hasPlan() ? "\n" + Tables.plan(r.getPlan()) : "");
    }
  }

  /** Puts a draining region back into rotation, through PROVISIONING. */
  @Command(name = "cancel-drain", mixinStandardHelpOptions = true,
      description = "Puts a DRAINING region back: PROVISIONING, a standby again once proven healthy.")
  public static final class CancelDrain extends RegionVerb<CancelDrainResponse> {

    @Override
    CancelDrainResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
      return admin.cancelDrain(CancelDrainRequest.newBuilder().setId(id).setReason(reason).build());
    }

    @Override
    String table(CancelDrainResponse r) {
      return region(r.getRegion(), r.getChanged());
    }
  }

  /** Forgets a drained region; forgetting one already forgotten succeeds. */
  @Command(name = "deregister", mixinStandardHelpOptions = true,
      description = "Forgets a DRAINING region (a region already removed: unchanged, exit 0).")
  public static final class Deregister extends RegionVerb<DeregisterRegionResponse> {

    @Override
    DeregisterRegionResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
      return admin.deregisterRegion(DeregisterRegionRequest.newBuilder().setId(id).setReason(reason).build());
    }

    @Override
    String table(DeregisterRegionResponse r) {
      return region(r.getRegion(), r.getChanged());
    }
  }
}
