package dev.dialtone.cli.controlplane;

import com.google.protobuf.Timestamp;
import dev.dialtone.proto.v1.PlanStep;
import dev.dialtone.proto.v1.PlanSummary;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Plain-text tables for operators. */
final class Tables {
  private Tables() {}

  /** Left-aligned columns, widths fitted to the content. */
  static String render(List<String> header, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    int[] width = new int[header.size()];
    for (List<String> row : all) {
      for (int i = 0; i < row.size(); i++) {
        width[i] = Math.max(width[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> row : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(String.format("%-" + (width[i] + 2) + "s", row.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString().stripTrailing();
  }

  static String time(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0 ? "-" : Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
  }

  static String plan(PlanSummary p) {
    if (p.getPlanId().isEmpty()) {
      return "no plan";
    }
    List<List<String>> rows = new ArrayList<>();
    for (PlanStep s : p.getStepsList()) {
      rows.add(List.of(s.getName(), s.getState().name().replace("PLAN_STATE_", ""), Integer.toString(s.getAttempts()), s.getError()));
    }
    return "plan " + p.getPlanId() + " (epoch " + p.getEpoch() + "): " + p.getDescription() + " — "
        + p.getState().name().replace("PLAN_STATE_", "") + "\n" + render(List.of("STEP", "STATE", "ATTEMPTS", "ERROR"), rows);
  }
}
