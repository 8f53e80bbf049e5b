package dev.dialtone.chaos.report;

import dev.dialtone.chaos.run.EventKind;
import dev.dialtone.chaos.run.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A report as one self-contained XHTML page (inline CSS and SVG, no external assets, no script)
 * with a timeline chart: one row per event on a time axis starting at the fault, the fault period
 * shaded, the shift objective drawn as a deadline. All text is escaped.
 */
public final class HtmlReport {
  private static final int WIDTH = 960;
  private static final int LEFT = 190;
  private static final int RIGHT = 40;
  private static final int TOP = 40;
  private static final int ROW = 22;

  private HtmlReport() {}

  public static String render(DrillReport report) {
    StringBuilder html = new StringBuilder(16_384);
    html.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>Drill ").append(escape(report.drill())).append(" — ").append(escape(report.runId())).append("</title>\n")
        .append("<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#1d232a;max-width:1000px}\n")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccd;padding:4px 8px;text-align:left;font-size:14px}\n")
        .append("th{background:#eef}.pass{color:#0a7a2f}.fail{color:#b3261e}.verdict{font-size:1.3em;font-weight:bold}\n")
        .append("svg text{font-family:system-ui,sans-serif;font-size:12px}\n")
        .append("</style>\n</head>\n<body>\n");
    html.append("<h1>Drill ").append(escape(report.drill())).append("</h1>\n");
    html.append("<p class=\"verdict ").append(report.passed() ? "pass" : "fail").append("\">")
        .append(report.passed() ? "PASSED" : escape(report.state().name())).append(": ").append(escape(report.reason())).append("</p>\n");
    html.append("<table>\n");
    row(html, "run", report.runId());
    row(html, "target", report.region() + " / " + report.dependencyKind() + " " + report.dependency());
    row(html, "epoch", Long.toString(report.epoch()));
    row(html, "started", report.startedAt().toString());
    row(html, "ended", report.endedAt().toString());
    html.append("</table>\n<h2>Timeline</h2>\n");
    chart(html, report);
    html.append("<h2>Figures</h2>\n<table>\n<tr><th>figure</th><th>measured</th><th>objective</th><th>met</th></tr>\n");
    for (Figure figure : report.figures()) {
      html.append("<tr><td>").append(escape(figure.name())).append("</td><td>").append(escape(figure.measured()))
          .append("</td><td>").append(figure.objective() == null ? "—" : escape(figure.objective())).append("</td><td");
      if (figure.met() == null) {
        html.append(">—");
      } else {
        html.append(" class=\"").append(figure.met() ? "pass\">yes" : "fail\">no");
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n");
    if (!report.breaches().isEmpty()) {
      html.append("<h2>Breaches</h2>\n<ul>\n");
      report.breaches().forEach(b -> html.append("<li>").append(escape(b)).append("</li>\n"));
      html.append("</ul>\n");
    }
    boolean takeover = !report.takeover().isEmpty();
    events(html, takeover ? "Dependency timeline" : "Events", report, takeover ? report.dependencyTimeline() : report.timeline());
    if (takeover) {
      events(html, "Control-plane timeline (takeover)", report, report.takeover());
    }
    html.append("</body>\n</html>\n");
    return html.toString();
  }

  private static void events(StringBuilder html, String title, DrillReport report, List<TimelineEvent> events) {
    html.append("<h2>").append(escape(title)).append("</h2>\n<table>\n<tr><th>at</th><th>+since fault</th><th>event</th><th>detail</th></tr>\n");
    Instant origin = TimelineOrigin.of(report);
    for (TimelineEvent event : events) {
      html.append("<tr><td>").append(escape(event.at().toString())).append("</td><td>")
          .append(DrillReport.offset(Duration.between(origin, event.at()))).append("</td><td>")
          .append(escape(MarkdownReport.label(event.kind()))).append("</td><td>").append(escape(event.detail())).append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void chart(StringBuilder html, DrillReport report) {
    List<TimelineEvent> events = report.timeline();
    Instant origin = TimelineOrigin.of(report);
    Instant end = events.stream().map(TimelineEvent::at).max(Instant::compareTo).orElse(report.endedAt());
    Instant start = events.stream().map(TimelineEvent::at).min(Instant::compareTo).orElse(origin);
    long spanMillis = Math.max(1, Duration.between(start, end).toMillis());
    int height = TOP + events.size() * ROW + 30;
    double plot = WIDTH - LEFT - RIGHT;
    html.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(height)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" style=\"max-width:100%;height:auto\" role=\"img\" aria-label=\"drill timeline\">\n");
    html.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(height).append("\" fill=\"#fbfbfd\"/>\n");
    // The fault period and the shift deadline, behind the events.
    Instant healed = events.stream().filter(e -> e.kind() == EventKind.HEALED).map(TimelineEvent::at).findFirst().orElse(null);
    boolean injected = events.stream().anyMatch(e -> e.kind() == EventKind.FAULT_INJECTED);
    if (injected) {
      double from = x(origin, start, spanMillis, plot);
      double to = x(healed == null ? end : healed, start, spanMillis, plot);
      html.append("<rect x=\"").append(fmt(from)).append("\" y=\"").append(TOP - 14).append("\" width=\"").append(fmt(Math.max(1, to - from)))
          .append("\" height=\"").append(events.size() * ROW + 4).append("\" fill=\"#fde7e7\"><title>fault in force</title></rect>\n");
      report.figures().stream()
          .filter(f -> f.name().startsWith("fault → traffic shifted") && f.objectiveMillis() != null)
          .findFirst()
          .ifPresent(
              f -> {
                double deadline = x(origin.plusMillis(f.objectiveMillis()), start, spanMillis, plot);
                if (deadline <= LEFT + plot) {
                  html.append("<line x1=\"").append(fmt(deadline)).append("\" y1=\"").append(TOP - 20).append("\" x2=\"").append(fmt(deadline))
                      .append("\" y2=\"").append(TOP + events.size() * ROW).append("\" stroke=\"#b3261e\" stroke-dasharray=\"4 3\"/>\n")
                      .append("<text x=\"").append(fmt(deadline + 4)).append("\" y=\"").append(TOP - 22).append("\" fill=\"#b3261e\">shift objective ")
                      .append(escape(f.objective())).append("</text>\n");
                }
              });
    }
    // Axis with ticks relative to the fault.
    int axisY = TOP + events.size() * ROW;
    html.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(axisY).append("\" x2=\"").append(fmt(LEFT + plot)).append("\" y2=\"")
        .append(axisY).append("\" stroke=\"#667\"/>\n");
    long step = tickStepMillis(spanMillis);
    long firstTick = Math.floorDiv(Duration.between(origin, start).toMillis(), step) * step;
    for (long offset = firstTick; offset <= Duration.between(origin, end).toMillis(); offset += step) {
      Instant tick = origin.plusMillis(offset);
      if (tick.isBefore(start)) {
        continue;
      }
      double tx = x(tick, start, spanMillis, plot);
      html.append("<line x1=\"").append(fmt(tx)).append("\" y1=\"").append(axisY).append("\" x2=\"").append(fmt(tx)).append("\" y2=\"")
          .append(axisY + 5).append("\" stroke=\"#667\"/>\n<text x=\"").append(fmt(tx)).append("\" y=\"").append(axisY + 18)
          .append("\" text-anchor=\"middle\" fill=\"#445\">").append(DrillReport.offset(Duration.between(origin, tick))).append("</text>\n");
    }
    for (int i = 0; i < events.size(); i++) {
      TimelineEvent event = events.get(i);
      double ex = x(event.at(), start, spanMillis, plot);
      int y = TOP + i * ROW;
      String color = color(event.kind());
      html.append("<text x=\"").append(LEFT - 10).append("\" y=\"").append(y + 4).append("\" text-anchor=\"end\" fill=\"#223\">")
          .append(escape(MarkdownReport.label(event.kind()))).append("</text>\n");
      html.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(y).append("\" x2=\"").append(fmt(ex)).append("\" y2=\"").append(y)
          .append("\" stroke=\"#dde\"/>\n");
      html.append("<circle cx=\"").append(fmt(ex)).append("\" cy=\"").append(y).append("\" r=\"5\" fill=\"").append(color).append("\"><title>")
          .append(escape(MarkdownReport.label(event.kind()) + " at " + event.at() + ": " + event.detail())).append("</title></circle>\n");
      boolean labelLeft = ex > LEFT + plot * 0.75;
      html.append("<text x=\"").append(fmt(labelLeft ? ex - 9 : ex + 9)).append("\" y=\"").append(y + 4).append("\"")
          .append(labelLeft ? " text-anchor=\"end\"" : "").append(" fill=\"#556\">")
          .append(DrillReport.offset(Duration.between(origin, event.at()))).append("</text>\n");
    }
    html.append("</svg>\n");
  }

  /** A round tick step (100 ms, 200 ms, 500 ms, 1 s, 2 s, 5 s, ...) giving at most 8 ticks. */
  private static long tickStepMillis(long spanMillis) {
    long step = 100;
    int multiplier = 0;
    long[] factors = {1, 2, 5};
    while (spanMillis / (step * factors[multiplier]) > 8) {
      multiplier++;
      if (multiplier == factors.length) {
        multiplier = 0;
        step *= 10;
      }
    }
    return step * factors[multiplier];
  }

  private static double x(Instant at, Instant start, long spanMillis, double plot) {
    return LEFT + plot * Duration.between(start, at).toMillis() / spanMillis;
  }

  private static String fmt(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String color(EventKind kind) {
    return switch (kind) {
      case BREACH, ABORTED, OUTAGE_MODE_ENTERED, LAB_CALL_FAILED, HEAL_FAILED, INJECTION_FAILED, PREFLIGHT_REFUSED, INCIDENT_ELSEWHERE -> "#b3261e";
      case CARRIER_SHIFTED, DNS_SHIFTED, FAILED_BACK, HEALED -> "#0a7a2f";
      case FAULT_INJECTED -> "#e07000";
      case FIRST_FAILED_PROBE, REGION_DOWN, DECISION -> "#1f5fbf";
      default -> "#778";
    };
  }

  private static void row(StringBuilder html, String name, String value) {
    html.append("<tr><th>").append(escape(name)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
  }

  /** Escapes text for XHTML content and attribute values; drops characters XML forbids. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                  if (c >= 0x20 || c == '\n' || c == '\t') {
                    out.appendCodePoint(c);
                  } else {
                    out.append('\uFFFD');
                  }
                }
              }
            });
    return out.toString();
  }
}
