package dev.dialtone.agent.probe;

import java.time.Duration;

/**
 * One dependency check. An attempt classifies its own failures into a {@link ProbeResult}; it
 * may still throw or hang, which the {@link ProbeScheduler} turns into a DOWN result at the
 * deadline, so callers never see an exception.
 */
public interface Probe extends AutoCloseable {

  /** Runs one attempt, using {@code timeout} for its own socket and statement timeouts. */
  ProbeResult attempt(Duration timeout) throws Exception;

  /** Releases kept connections. */
  @Override
  default void close() {}
}
