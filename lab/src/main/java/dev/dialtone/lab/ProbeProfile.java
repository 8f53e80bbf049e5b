package dev.dialtone.lab;

import java.time.Duration;

/**
 * How hard the lab's agents probe: the interval and timeout of every dependency probe and how
 * often reports are sent. Detection time scales with these, so the benchmark runs both.
 */
public enum ProbeProfile {
  /** The agent's shipped defaults: a probe a second, 800 ms timeout. */
  DEFAULT(Duration.ofSeconds(1), Duration.ofMillis(800), Duration.ofMillis(500)),
  /** An aggressive profile for fast detection: a probe every 250 ms, 200 ms timeout. */
  FAST(Duration.ofMillis(250), Duration.ofMillis(200), Duration.ofMillis(150));

  private final Duration interval;
  private final Duration timeout;
  private final Duration degradedAbove;

  ProbeProfile(Duration interval, Duration timeout, Duration degradedAbove) {
    this.interval = interval;
    this.timeout = timeout;
    this.degradedAbove = degradedAbove;
  }

  public Duration interval() {
    return interval;
  }

  public Duration timeout() {
    return timeout;
  }

  public Duration degradedAbove() {
    return degradedAbove;
  }
}
