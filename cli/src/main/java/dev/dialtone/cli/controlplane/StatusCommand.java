package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.GetStatusRequest;
import dev.dialtone.proto.v1.GetStatusResponse;
import dev.dialtone.proto.v1.RegionStatus;
import dev.dialtone.cli.lab.DurationConverter;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone status}: leader, epoch, mode, placement and every region. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Shows the leader, epoch, mode, placement, every region's health and the plan in flight.")
public final class StatusCommand extends AdminVerb<GetStatusResponse> {
  @Option(names = "--watch", description = "Polls and redraws whenever the status changes, until interrupted (Ctrl-C);"
      + " under --output json, one JSON object per line per change.")
  boolean watch;

  @Option(names = "--interval", defaultValue = "1s", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "How often --watch polls (default: ${DEFAULT-VALUE}).")
  Duration interval;

  /** How many changes --watch shows before it returns (tests bound it; an operator interrupts it). */
  long maxChanges = Long.MAX_VALUE;

  private GetStatusResponse lastShown;
  private long changesShown;

  @Override
  public Integer call() {
    if (!watch) {
      return super.call();
    }
    if (interval.compareTo(Duration.ofMillis(100)) < 0) {
      return error(spec.commandLine().getErr(), "USAGE", "--interval must be at least 100ms, was " + interval, USAGE);
    }
    // Each poll goes through the usual replica selection, so the watch survives a leader change.
    while (changesShown < maxChanges) {
      int exit = super.call();
      if (exit != OK) {
        return exit;
      }
      if (changesShown >= maxChanges) {
        break;
      }
      try {
        sleeper.sleep(interval);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return OK;
  }

  @Override
  void show(PrintWriter out, GetStatusResponse answer) {
    if (!watch) {
      super.show(out, answer);
      return;
    }
    // Report times move on every poll; a change is anything else.
    GetStatusResponse.Builder steady = answer.toBuilder();
    steady.getRegionsBuilderList().forEach(r -> r.clearLastReportAt());
    GetStatusResponse key = steady.build();
    if (key.equals(lastShown)) {
      return;
    }
    lastShown = key;
    changesShown++;
    if (options.output == AdminOptions.Output.json) {
      out.println(compactJson(answer));
    } else {
      if (System.console() != null) {
        out.print("\033[H\033[2J"); // clear the terminal and redraw in place
      } else if (changesShown > 1) {
        out.println();
      }
      out.println("every " + dev.dialtone.config.Durations.format(interval) + ", changed at " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
          + " (change " + changesShown + ")\n");
      out.println(table(answer));
    }
  }
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
