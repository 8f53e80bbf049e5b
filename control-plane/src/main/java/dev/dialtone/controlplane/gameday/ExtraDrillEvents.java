package dev.dialtone.controlplane.gameday;

import dev.dialtone.chaos.run.TimelineEvent;
import java.time.Instant;
import java.util.List;

/**
 * An extra source of drill events bound with {@code Multibinder<ExtraDrillEvents>} (empty in a
 * deployment): a call-quality source in the replica's process reports {@code LAB_CALL_FAILED} here.
 * The lab's callers run outside the replicas, so the lab adds their failures to the finished report
 * instead ({@code DrillReport.withObservedCallFailures}).
 *
 * <p>{@link #since} must not consume anything: several replicas in one JVM may share one source,
 * and each asks for what it has not seen yet.
 */
public interface ExtraDrillEvents {
  /** Every event that happened strictly after {@code after}, oldest first; never removes them. */
  List<TimelineEvent> since(Instant after);
}
