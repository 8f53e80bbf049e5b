package dev.dialtone.controlplane.notify;

import dev.dialtone.controlplane.loop.ControlLoop;
import dev.dialtone.controlplane.state.HistoryEntry;
import dev.dialtone.controlplane.state.HistoryKind;
import dev.dialtone.notify.EventKind;
import dev.dialtone.notify.Notification;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The event a control-loop history entry makes: an agent gone silent, or an actuator lagging a
 * plan (the control loop records them in these words), one per entry.
 */
final class HealthEvents {
  private HealthEvents() {}

  static Optional<Notification> of(String deployment, HistoryEntry e) {
    if (e.kind() == HistoryKind.REGION && e.summary().endsWith(": " + ControlLoop.AGENT_SILENT)) {
      String region = e.summary().substring(0, e.summary().length() - (": " + ControlLoop.AGENT_SILENT).length());
      return Optional.of(new Notification("agent-silent-" + region + "-" + e.at().toEpochMilli(), EventKind.AGENT_SILENT,
          null, deployment, region, "", "the agent of " + region + " is silent: " + e.reason(), details(e), null, e.at()));
    }
    if (e.kind() == HistoryKind.DECISION && e.summary().startsWith(ControlLoop.ACTUATOR_LAGGING)) {
      return Optional.of(new Notification("plan-" + e.planId() + "-lagging", EventKind.ACTUATOR_LAGGING, null, deployment,
          "", e.planId(), e.summary() + "; " + e.reason(), details(e), null, e.at()));
    }
    return Optional.empty();
  }

  private static Map<String, String> details(HistoryEntry e) {
    Map<String, String> d = new LinkedHashMap<>(e.evidence());
    d.put("principal", e.principal());
    return d;
  }
}
