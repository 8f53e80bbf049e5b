package dev.dialtone.agent.time;

/** A monotonic nanosecond source for measuring latency; injected so tests control time. */
@FunctionalInterface
public interface Ticker {
  /** Nanoseconds from an arbitrary origin; only differences are meaningful. */
  long nanos();

  /** The JVM's monotonic clock. */
  static Ticker system() {
    return System::nanoTime;
  }
}
