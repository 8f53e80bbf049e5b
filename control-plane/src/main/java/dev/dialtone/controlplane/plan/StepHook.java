package dev.dialtone.controlplane.plan;

/**
 * Runs after the leadership check and immediately before a step touches an actuator: the window
 * in which a stalled leader (GC pause, SIGSTOP) wakes with a stale plan. Tests block here to
 * reproduce that race deterministically.
 */
@FunctionalInterface
public interface StepHook {
  void beforeStep(Plan plan, PlanStep step) throws InterruptedException;

  StepHook NONE = (plan, step) -> {};
}
