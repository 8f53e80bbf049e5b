package dev.dialtone.cli.controlplane;

import dev.dialtone.proto.v1.AdminServiceGrpc;
import dev.dialtone.proto.v1.ListHistoryRequest;
import dev.dialtone.proto.v1.ListHistoryResponse;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dialtone history}: decisions, plan steps and manual actions, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Lists decisions, plan steps and operators' actions, newest first, with who and why.")
public final class HistoryCommand extends AdminVerb<ListHistoryResponse> {
  int limit;

  @Option(names = "--limit", defaultValue = "50", paramLabel = "N",
      description = "At most this many entries, 1..500 (default ${DEFAULT-VALUE}).")
  void limit(int n) {
    // 0 would mean "the server's default" on the wire: refuse it here rather than answer 50 rows.
    if (n < 1 || n > 500) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be 1..500: " + n);
    }
    limit = n;
  }

  @Option(names = "--page-token", defaultValue = "", description = "From a previous page's 'next page' line.")
  String pageToken;

  @Option(names = "--plan", defaultValue = "", description = "Only entries of this plan.")
  String planId;

  @Override
  ListHistoryResponse invoke(AdminServiceGrpc.AdminServiceBlockingStub admin) {
    return admin.listHistory(ListHistoryRequest.newBuilder().setPageSize(limit).setPageToken(pageToken).setPlanId(planId).build());
  }

  @Override
  String table(ListHistoryResponse r) {
    String rows = Tables.render(List.of("AT", "KIND", "EPOCH", "PLAN", "WHO", "WHAT", "WHY", "EVIDENCE"),
        r.getEntriesList().stream().map(e -> List.of(Tables.time(e.getAt()), e.getKind().name().replace("HISTORY_KIND_", ""),
            Long.toString(e.getEpoch()), e.getPlanId(), e.getPrincipal(), e.getSummary(), e.getReason(),
            e.getEvidenceMap().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .map(x -> x.getKey() + "=" + x.getValue()).collect(Collectors.joining(" ")))).toList());
    return rows + (r.getNextPageToken().isEmpty() ? "" : "\nnext page: --page-token " + r.getNextPageToken());
  }
}
