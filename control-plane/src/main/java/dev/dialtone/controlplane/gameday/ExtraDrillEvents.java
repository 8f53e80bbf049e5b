package dev.dialtone.controlplane.gameday;

import dev.dialtone.chaos.run.TimelineEvent;
import java.time.Instant;
import java.util.List;

/**
 * An extra source of drill events bound with {@code Multibinder<ExtraDrillEvents>} (empty by
 * default): the lab binds its call generator here to report {@code LAB_CALL_FAILED}.
 *
 * <p>{@link #since} must not consume anything: several replicas in one JVM may share one source,
 * and each asks for what it has not seen yet.
 */
public interface ExtraDrillEvents {
  /** Every event that happened strictly after {@code after}, oldest first; never removes them. */
  List<TimelineEvent> since(Instant after);
}
