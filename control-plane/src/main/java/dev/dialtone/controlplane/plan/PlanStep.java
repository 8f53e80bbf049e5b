package dev.dialtone.controlplane.plan;

/**
 * One idempotent step: apply the target with one actuator, or verify every actuator.
 *
 * @param actuator the actuator's name for an apply step; empty for the verify step
 */
public record PlanStep(String name, String actuator, PlanState state, int attempts, String error) {
  public PlanStep {
    actuator = actuator == null ? "" : actuator;
    error = error == null ? "" : error;
  }

  public static final String VERIFY = "verify";

  public boolean isVerify() {
    return actuator.isEmpty();
  }

  PlanStep with(PlanState newState, int newAttempts, String newError) {
    return new PlanStep(name, actuator, newState, newAttempts, newError);
  }
}
