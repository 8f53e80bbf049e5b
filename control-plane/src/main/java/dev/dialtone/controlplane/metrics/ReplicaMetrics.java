package dev.dialtone.controlplane.metrics;

import dev.dialtone.telemetry.MetricName;
import java.util.List;

/** Every metric a control-plane replica exports: names, labels and help (see deploy/monitoring for rules and dashboard). */
public final class ReplicaMetrics {
  private ReplicaMetrics() {}

  public static final MetricName LEADER = MetricName.of("dialtone_leader", "1 while this replica leads, else 0.");
  public static final MetricName EPOCH = MetricName.of("dialtone_epoch",
      "The newest leadership epoch this replica knows (the leader's term, on followers too).");
  public static final MetricName ZOOKEEPER_CONNECTED = MetricName.of("dialtone_zookeeper_connected",
      "1 while this replica's ZooKeeper session is connected; 0 means static stability (it neither leads nor follows).");
  public static final MetricName ACTIVE_REGION = MetricName.of("dialtone_active_region",
      "1 for the region the committed placement routes to first, 0 for every other registered region.", "region");
  public static final MetricName OUTAGE_MODE = MetricName.of("dialtone_outage_mode",
      "1 while the committed placement is outage mode (calls go to the fallback chain).");
  public static final MetricName MODE = MetricName.of("dialtone_mode",
      "1 for the mode in force (AUTO, MANUAL or FROZEN, freeze included), 0 for the others.", "mode");
  public static final MetricName REGION_STATUS = MetricName.of("dialtone_region_status",
      "A region's health as this replica sees it: 0 unknown (no fresh report), 1 up, 2 degraded, 3 down.", "region");
  public static final MetricName DEPENDENCY_STATUS = MetricName.of("dialtone_dependency_status",
      "A dependency's latest verdict as reported by its region's agent: 0 unknown, 1 up, 2 degraded, 3 down.",
      "region", "dependency");
  public static final MetricName DEPENDENCY_LATENCY = MetricName.of("dialtone_dependency_latency_seconds",
      "Latency of the latest probe of a dependency, as reported by its region's agent.", "region", "dependency");
  public static final MetricName AGENT_REPORT_AGE = MetricName.of("dialtone_agent_report_age_seconds",
      "Seconds since this replica accepted the last report of a region's agent.", "region");
  public static final MetricName PLAN_IN_FLIGHT = MetricName.of("dialtone_plan_in_flight",
      "1 while a plan that moves traffic is pending or running.");
  public static final MetricName PLANS = MetricName.of("dialtone_plans_total",
      "Plans this replica ran to an end while leading, by outcome (succeeded, failed, fenced, running).", "outcome");
  public static final MetricName LAST_SHIFT = MetricName.of("dialtone_last_shift_seconds",
      "Duration of the last traffic shift this replica ran, by stage (detection: active region seen unhealthy to"
          + " the decision; decision: the policy's evaluation; actuation: plan created to its end).", "stage");
  public static final MetricName DETECTION_SECONDS = MetricName.of("dialtone_detection_seconds",
      "From the first evaluation that saw the active region unhealthy to the decision to move off it, per shift.");
  public static final MetricName DECISION_SECONDS = MetricName.of("dialtone_decision_seconds",
      "Time the policy took to decide, per evaluation.");
  public static final MetricName ACTUATION_SECONDS = MetricName.of("dialtone_actuation_seconds",
      "Time from a plan's start to its end, per plan.");
  public static final MetricName PLAN_STEP_SECONDS = MetricName.of("dialtone_plan_step_seconds",
      "Time one plan step took, by actuator.", "actuator");
  public static final MetricName DECISIONS = MetricName.of("dialtone_decisions_total",
      "Policy decisions, by kind (shift, enteroutage, leaveoutage, holdstill, nochange, ...).", "kind");
  public static final MetricName ADMIN_CALLS_REFUSED = MetricName.of("dialtone_admin_calls_refused_total",
      "Calls refused by access control (no identity, or a role too low), by method.", "method");
  public static final MetricName REPORTS_ACCEPTED = MetricName.of("dialtone_reports_accepted_total",
      "Agent health reports accepted.");
  public static final MetricName REPORTS_DUPLICATE = MetricName.of("dialtone_reports_duplicate_total",
      "Agent health reports dropped as duplicates of one already accepted.");
  public static final MetricName REPORTS_OUT_OF_ORDER = MetricName.of("dialtone_reports_out_of_order_total",
      "Agent health reports dropped as older than one already accepted.");
  public static final MetricName REPORTS_REJECTED = MetricName.of("dialtone_reports_rejected_total",
      "Agent health reports rejected as invalid, by reason.", "reason");
  public static final MetricName REPORTS_REFUSED_IDENTITY = MetricName.of("dialtone_reports_refused_identity_total",
      "Agent health reports refused because they claim another region or deployment than the sender's certificate.");
  public static final MetricName AGENT_STREAMS = MetricName.of("dialtone_agent_streams",
      "Agent report streams open on this replica now.");
  public static final MetricName PROBE_NOW = MetricName.of("dialtone_probe_now_directives_total",
      "Probe-now directives sent to agents.");
  public static final MetricName NOTIFICATIONS_DELIVERED = MetricName.of("dialtone_notifications_delivered_total",
      "Notifications a receiver accepted.");
  public static final MetricName NOTIFICATIONS_UNDELIVERABLE = MetricName.of("dialtone_notifications_undeliverable_total",
      "Notifications given up on after every retry.");
  public static final MetricName CERTIFICATE_EXPIRY = MetricName.of("dialtone_certificate_expiry_timestamp_seconds",
      "When this process's own certificate expires (its notAfter), in Unix seconds.", "certificate");

  public static final MetricName CALLS_ROUTED = MetricName.of("dialtone_calls_routed_total",
      "Calls the carrier routed to a destination (a region, or a fallback by kind), as it counts them; leader only.",
      "carrier", "destination");
  public static final MetricName CALLS_ANSWERED = MetricName.of("dialtone_calls_answered_total",
      "Calls a destination answered, as the carrier counts them; leader only.", "carrier", "destination");
  public static final MetricName CALLS_FAILED = MetricName.of("dialtone_calls_failed_total",
      "Calls no destination answered (the whole chain failed), as the carrier counts them; leader only.", "carrier");

  public static final MetricName DRILLS = MetricName.of("dialtone_drills_total",
      "Game-day drill runs this replica ran to an end while leading, by outcome (passed, failed, aborted, skipped).",
      "outcome");

  public static final MetricName ACTUATOR_OWNER_EPOCH = MetricName.of("dialtone_actuator_owner_epoch",
      "The epoch an actuator's ownership record holds, read back from its target by the leader (NaN elsewhere).",
      "actuator");

  /** The whole catalogue, for the exporter. */
  public static final List<MetricName> ALL = List.of(LEADER, EPOCH, ZOOKEEPER_CONNECTED, ACTIVE_REGION, OUTAGE_MODE,
      MODE, REGION_STATUS, DEPENDENCY_STATUS, DEPENDENCY_LATENCY, AGENT_REPORT_AGE, PLAN_IN_FLIGHT, PLANS, LAST_SHIFT,
      DETECTION_SECONDS, DECISION_SECONDS, ACTUATION_SECONDS, PLAN_STEP_SECONDS, DECISIONS, ADMIN_CALLS_REFUSED, REPORTS_ACCEPTED,
      REPORTS_DUPLICATE, REPORTS_OUT_OF_ORDER, REPORTS_REJECTED, REPORTS_REFUSED_IDENTITY, AGENT_STREAMS, PROBE_NOW,
      NOTIFICATIONS_DELIVERED, NOTIFICATIONS_UNDELIVERABLE, CERTIFICATE_EXPIRY, CALLS_ROUTED, CALLS_ANSWERED,
      CALLS_FAILED, DRILLS, ACTUATOR_OWNER_EPOCH);
}
