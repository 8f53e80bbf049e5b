package dev.dialtone.cli.drill;

import dev.dialtone.cli.controlplane.ExtendableAdminVerb;
import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.ListDrillsRequest;
import dev.dialtone.proto.v1.ListDrillsResponse;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code dialtone drill list}: the deployment's drills, who applied them, their schedules and last runs, then every stored run. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "Lists the deployment's drills with who applied them, their schedules and last runs.")
public final class ListCommand extends ExtendableAdminVerb<ListDrillsResponse> {
  @Override
  protected ListDrillsResponse call(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.listDrills(ListDrillsRequest.getDefaultInstance());
  }

  @Override
  protected String render(ListDrillsResponse r) {
    String drills = table(List.of("DRILL", "APPLIED BY", "SCHEDULE", "NEXT RUN", "LAST RUN", "STATE", "STARTED"),
        r.getDrillsList().stream().map(d -> List.of(d.getName(), d.getAppliedBy().isEmpty() ? "-" : d.getAppliedBy(),
            d.getSchedule().isEmpty() ? "manual" : d.getSchedule(),
            time(d.getNextRunAt()), d.hasLastRun() ? d.getLastRun().getRunId() : "-",
            d.hasLastRun() ? DrillCommand.state(d.getLastRun()) : "-",
            d.hasLastRun() ? time(d.getLastRun().getStartedAt()) : "-")).toList());
    if (r.getRunsCount() == 0) {
      return drills;
    }
    // Every stored report, so any run can be fetched with `dialtone drill report <run>`.
    return drills + "\n" + table(List.of("RUN", "DRILL", "STATE", "STARTED"),
        r.getRunsList().stream().map(run -> List.of(run.getRunId(), run.getDrill(), DrillCommand.state(run),
            time(run.getStartedAt()))).toList());
  }
}
