package dev.dialtone.controlplane.plan;

import java.time.Duration;

/** Waits between retries; injected so tests do not sleep. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration duration) throws InterruptedException;

  static Sleeper system() {
    return d -> Thread.sleep(d.toMillis());
  }
}
