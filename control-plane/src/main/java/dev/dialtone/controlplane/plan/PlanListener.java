package dev.dialtone.controlplane.plan;

import java.time.Instant;

/**
 * Told what a plan did as it happens, on the plan's thread; for observers such as game-day drills
 * that time the shift. Must be quick and must not throw (a throwing listener is logged and ignored).
 */
@FunctionalInterface
public interface PlanListener {
  /**
   * One actuator was read back routing as the plan says (its part of the verify step passed): the
   * strongest signal that this means of moving traffic has moved it.
   */
  void readBack(Plan plan, String actuator, Instant at);

  /**
   * {@code plan} came to an end on this replica: SUCCEEDED, FAILED or FENCED, or still RUNNING when
   * the term ended or an actuator lags (another pass or leader resumes it).
   */
  default void ended(Plan plan, Instant at) {}

  /**
   * {@code step} of {@code plan} is about to touch its actuator, leadership just checked: the moment
   * a control-plane drill times its fault to (a failover in flight). The one call that may block:
   * the drill holds the step there while it stops or kills this process.
   */
  default void aboutToAct(Plan plan, PlanStep step) throws InterruptedException {}
}
