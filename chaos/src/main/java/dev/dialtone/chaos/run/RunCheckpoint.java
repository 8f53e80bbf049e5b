package dev.dialtone.chaos.run;

import java.time.Instant;
import java.util.List;

/**
 * A drill run as the leader that faulted itself left it, for the next leader to resume: what is
 * injected and not healed, how far the steps got, the timeline so far (ending with LEADER_LOST), and
 * the plan that was in flight (empty when none). Written to ZooKeeper just before the fault; plain data.
 *
 * @param routing the placement's order the drill's roles were resolved against when it started
 * @param nextStep the index in {@code then} of the first step not done (the one after the leader's)
 * @param planInFlight the plan the leader was about to act on, if the fault was timed to it
 */
public record RunCheckpoint(
    String drill,
    String runId,
    long epoch,
    String replicaId,
    Instant lostAt,
    List<String> routing,
    Instant startedAt,
    Instant injectedAt,
    Instant lastInjectedAt,
    int nextStep,
    List<String> targets,
    List<Unhealed> unhealed,
    List<TimelineEvent> timeline,
    List<String> breaches,
    Instant carrierShiftedAt,
    Instant dnsShiftedAt,
    String planInFlight) {

  /** Faults in and not healed, injected under {@code id} (the run id, or {@code <run>.stepN}). */
  public record Unhealed(String id, int step, String proxy) {}

  public RunCheckpoint {
    routing = List.copyOf(routing);
    targets = List.copyOf(targets);
    unhealed = List.copyOf(unhealed);
    timeline = List.copyOf(timeline);
    breaches = List.copyOf(breaches);
    planInFlight = planInFlight == null ? "" : planInFlight;
  }
}
