package dev.dialtone.agent.metrics;

import dev.dialtone.telemetry.MetricName;
import java.util.List;

/** Every metric a region agent exports: names, labels and help (see deploy/monitoring for rules and dashboard). */
public final class AgentMetrics {
  private AgentMetrics() {}

  public static final MetricName READY = MetricName.of("dialtone_agent_ready",
      "1 while every critical dependency of the region is ready, as this agent sees it.", "region");
  public static final MetricName PROBE_STATUS = MetricName.of("dialtone_probe_status",
      "A probe's current verdict: 0 unknown, 1 up, 2 degraded, 3 down.", "region", "probe");
  public static final MetricName PROBE_LATENCY = MetricName.of("dialtone_probe_latency_seconds",
      "Latency of each probe attempt.", "region", "probe");
  public static final MetricName REPORTS_SENT = MetricName.of("dialtone_agent_reports_sent_total",
      "Health reports sent to a control-plane replica.", "region", "replica");
  public static final MetricName REPORTS_SUPERSEDED = MetricName.of("dialtone_agent_reports_superseded_total",
      "Reports dropped unsent because a newer one replaced them while the replica was slow.", "region", "replica");
  public static final MetricName RECONNECTS = MetricName.of("dialtone_agent_report_reconnects_total",
      "Report streams to a replica re-opened after it failed or ended.", "region", "replica");
  public static final MetricName CERTIFICATE_EXPIRY = MetricName.of("dialtone_certificate_expiry_timestamp_seconds",
      "When this process's own certificate expires (its notAfter), in Unix seconds.", "certificate");

  /** The whole catalogue, for the exporter. */
  public static final List<MetricName> ALL =
      List.of(READY, PROBE_STATUS, PROBE_LATENCY, REPORTS_SENT, REPORTS_SUPERSEDED, RECONNECTS, CERTIFICATE_EXPIRY);
}
