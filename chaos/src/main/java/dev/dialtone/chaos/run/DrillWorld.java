package dev.dialtone.chaos.run;

import dev.dialtone.chaos.drill.DrillDefinition;
import java.util.List;

/**
 * The system under drill, as the runner sees it; the lab and the control plane implement it from
 * their health view, plans, history and call generator.
 */
public interface DrillWorld {
  /** Facts for the drill's preflight guardrails. */
  PreflightFacts preflight(DrillDefinition drill);

  /**
   * Events observed since the previous call, in order, with the time they happened: first failed
   * probe, region DOWN, decision, carrier/DNS shifted, outage mode, failed lab calls, incidents
   * elsewhere, failback (kinds with {@link EventKind#observed()}).
   */
  List<TimelineEvent> poll();

  /**
   * The committed placement's order now (the active region, then the standbys), against which a
   * drill naming a role ({@code active}, {@code standby:N}) is resolved when it starts.
   */
  default List<String> routing() {
    return List.of();
  }

  /** The regions a drill on every region breaks (routable ones). */
  default List<String> regions() {
    return List.of();
  }

  /**
   * Faults the leader running the drill, its own process (a control-plane step): at once, or when
   * its next plan is about to touch an actuator if {@code fault.inFlight()}. Just before the fault
   * the world takes the run's checkpoint from {@code handover} and stores it for the next leader.
   *
   * @throws UnsupportedOperationException if this world cannot fault its control plane
   */
  default void faultLeader(dev.dialtone.chaos.drill.LeaderFault fault, Handover handover) {
    throw new UnsupportedOperationException("this deployment cannot fault its own control plane");
  }

  /**
   * Starts observing for a run another leader handed over (instead of {@link #preflight}): what is
   * already true is the baseline; {@code planInFlight} (or empty) is the plan to see resumed or rolled back.
   */
  default void resume(DrillDefinition drill, String planInFlight) {
    preflight(drill);
  }
}
