package dev.dialtone.chaos.run;

import dev.dialtone.chaos.drill.DrillGuardrails;
import java.util.ArrayList;
import java.util.List;

/** The preflight guardrails as a pure function: every reason a drill may not start. */
public final class PreflightCheck {
  private PreflightCheck() {}

  public static List<String> refusals(DrillGuardrails guardrails, PreflightFacts facts) {
    List<String> reasons = new ArrayList<>();
    if (guardrails.requireHealthyStandby() && !facts.standbyHealthy()) {
      reasons.add("no healthy standby region");
    }
    if (guardrails.requireNoPlanInFlight() && facts.planInFlight()) {
      reasons.add("an actuation plan is in flight");
    }
    if (guardrails.requireNotFrozen() && facts.frozen()) {
      reasons.add("the deployment is frozen");
    }
    if (guardrails.abortOnIncidentElsewhere() && facts.incidentElsewhere()) {
      reasons.add("a real incident is under way elsewhere");
    }
    return List.copyOf(reasons);
  }
}
