package dev.dialtone.chaos.report;

import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import java.time.Duration;
import java.time.Instant;

/** A report as Markdown, for tickets and chat. */
public final class MarkdownReport {
  private MarkdownReport() {}

  public static String render(DrillReport report) {
    StringBuilder md = new StringBuilder();
    md.append("# Drill ").append(inline(report.drill())).append(": ").append(report.passed() ? "PASSED" : report.state()).append("\n\n");
    md.append("| | |\n|---|---|\n");
    row(md, "run", report.runId());
    row(md, "target", report.region() + " / " + report.dependencyKind() + " " + report.dependency());
    row(md, "epoch", Long.toString(report.epoch()));
    row(md, "started", report.startedAt().toString());
    row(md, "ended", report.endedAt().toString());
    row(md, "result", report.state() + ": " + report.reason());
    Instant origin = TimelineOrigin.of(report);
    boolean takeover = !report.takeover().isEmpty();
    md.append(takeover ? "\n## Dependency timeline\n" : "\n## Timeline\n");
    table(md, origin, takeover ? report.dependencyTimeline() : report.timeline());
    if (report.timelineTruncated()) {
      md.append("\n_Timeline truncated to ").append(DrillReport.MAX_EVENTS).append(" events._\n");
    }
    if (takeover) {
      md.append("\n## Control-plane timeline (takeover)\n");
      table(md, origin, report.takeover());
    }
    figures(md, report);
    return md.toString();
  }

  private static void table(StringBuilder md, Instant origin, java.util.List<TimelineEvent> events) {
    md.append("\n| at | +since fault | event | detail |\n|---|---|---|---|\n");
    for (TimelineEvent event : events) {
      md.append("| ")
          .append(event.at())
          .append(" | ")
          .append(DrillReport.offset(Duration.between(origin, event.at())))
          .append(" | ")
          .append(label(event.kind()))
          .append(" | ")
          .append(cell(event.detail()))
          .append(" |\n");
    }
  }

  private static void figures(StringBuilder md, DrillReport report) {
    md.append("\n## Figures\n\n| figure | measured | objective | met |\n|---|---|---|---|\n");
    for (Figure figure : report.figures()) {
      md.append("| ")
          .append(cell(figure.name()))
          .append(" | ")
          .append(cell(figure.measured()))
          .append(" | ")
          .append(figure.objective() == null ? "—" : cell(figure.objective()))
          .append(" | ")
          .append(figure.met() == null ? "—" : figure.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    if (!report.breaches().isEmpty()) {
      md.append("\n## Breaches\n\n");
      report.breaches().forEach(b -> md.append("- ").append(inline(b)).append('\n'));
    }
  }

  /** Human label of an event kind: {@code DNS_SHIFTED} → {@code DNS shifted}. */
  static String label(EventKind kind) {
    String words = kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    return words.replace("dns", "DNS").replace("region down", "region DOWN");
  }

  private static void row(StringBuilder md, String name, String value) {
    md.append("| ").append(name).append(" | ").append(cell(value)).append(" |\n");
  }

  /** Table cells: pipes and newlines would break the table; markup characters are escaped. */
  private static String cell(String text) {
    return inline(text).replace("|", "\\|");
  }

  private static String inline(String text) {
    return text.replace("\\", "\\\\")
        .replace("\r", " ")
        .replace("\n", " ")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("`", "\\`")
        .replace("[", "\\[");
  }
}
