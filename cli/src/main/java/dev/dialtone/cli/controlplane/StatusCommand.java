package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.RegionStatus;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dialtone status}: leader, epoch, mode, placement and every region. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows the leader, epoch, mode, placement, every region's health and the plan in flight.")
public final class StatusCommand extends AdminVerb<GetStatusResponse> {
  @Override
  GetStatusResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.getStatus(GetStatusRequest.getDefaultInstance());
  }

  @Override
  String table(GetStatusResponse s) {
    var p = s.getPlacement();
    String routing = p.getOutageMode() ? "OUTAGE MODE (calls go to fallback destinations)"
        : p.getActiveRegion() + (p.getStandbyRegionsCount() == 0 ? "" : " > " + String.join(" > ", p.getStandbyRegionsList()));
    StringBuilder out = new StringBuilder()
        .append("deployment   ").append(s.getDeployment()).append('\n')
        .append("answered by  ").append(s.getReplicaId()).append(s.getCoordinationConnected() ? "" : " (NOT connected to ZooKeeper: nothing moves)").append('\n')
        .append("leader       ").append(s.getLeaderId().isEmpty() ? "(none known)" : s.getLeaderId()).append(" at epoch ").append(s.getEpoch()).append('\n')
        .append("mode         ").append(s.getMode().name().replace("MODE_", ""));
    if (s.hasFreeze()) {
      out.append(" by ").append(s.getFreeze().getPrincipal()).append(": ").append(s.getFreeze().getReason());
    }
    out.append('\n');
    if (!s.hasPlacement()) {
      out.append("routing      none applied yet").append(s.getRecommendOnly() ? " (recommend-only replica: it drives nothing)" : "")
          .append('\n');
    } else {
      out.append("routing      ").append(routing).append(" (epoch ").append(p.getEpoch()).append(", since ")
          .append(Tables.time(p.getChangedAt())).append(")\n");
    }
    if (s.hasRecommendation()) {
      var r = s.getRecommendation().getPlacement();
      String recommended = r.getOutageMode() ? "OUTAGE MODE"
          : r.getActiveRegion() + (r.getStandbyRegionsCount() == 0 ? "" : " > " + String.join(" > ", r.getStandbyRegionsList()));
      out.append("recommended  ").append(recommended).append(" - recommended, not applied (")
          .append(s.getRecommendation().getReason()).append(", ").append(Tables.time(s.getRecommendation().getAt())).append(")\n");
    }
    out.append('\n');
    out.append(Tables.render(List.of("REGION", "PRIORITY", "LIFECYCLE", "HEALTH", "READY", "LAST REPORT", "WHY"),
        s.getRegionsList().stream().map(StatusCommand::row).toList()));
    if (s.hasPlanInFlight()) {
      out.append("\n\n").append(Tables.plan(s.getPlanInFlight()));
    }
    return out.toString();
  }

  private static List<String> row(RegionStatus r) {
    return List.of(r.getId(), Integer.toString(r.getPriority()), r.getLifecycle().name().replace("REGION_LIFECYCLE_", ""),
        r.getHealth().name().replace("HEALTH_STATUS_", "").replace("UNSPECIFIED", "UNKNOWN"), r.getReady() ? "yes" : "no",
        Tables.time(r.getLastReportAt()), r.getReason());
  }
}
