package dev.dialtone.controlplane.actuation;

import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.TrafficActuator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What each carrier and DNS actuator routes to, read back from its server, for the status page and
 * the owner-epoch metric alike (one reader per replica): at most every {@code every}, and only while
 * someone asks, a watched page or a scrape (a provider's API is rate-limited and billed).
 * A failed read is kept as its error beside the last good one; reads never throw.
 */
public final class RoutingReadBack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RoutingReadBack.class);

  /** One actuator's latest read: what it holds (empty if never read well), and the last error. */
  public record Reading(String actuator, Optional<ObservedRouting> routing, Optional<Instant> readAt, String error,
      Optional<Instant> failedAt) {}

  private final List<TrafficActuator> actuators;
  private final Duration every;
  private final Clock clock;
  private final ExecutorService thread;
  private final Map<String, Reading> readings = new ConcurrentHashMap<>();
  private volatile Instant lastRound = Instant.EPOCH;

  public RoutingReadBack(List<TrafficActuator> actuators, Duration every, Clock clock, ExecutorService thread) {
    this.actuators = actuators.stream().sorted(Comparator.comparing(TrafficActuator::name)).toList();
    this.every = every;
    this.clock = clock;
    this.thread = thread;
    for (TrafficActuator a : this.actuators) {
      readings.put(a.name(), new Reading(a.name(), Optional.empty(), Optional.empty(), "not read yet", Optional.empty()));
    }
  }

  /**
   * The latest reading of every actuator, by name. Asking is what keeps reads going: a round starts
   * (on the read-back thread, never the caller's) when the last one is at least {@code every} old.
   */
  public List<Reading> latest() {
    Instant now = clock.instant();
    if (Duration.between(lastRound, now).compareTo(every) >= 0) {
      thread.execute(this::roundIfDue);
    }
    return actuators.stream().map(a -> readings.get(a.name())).toList();
  }

  private void roundIfDue() {
    Instant now = clock.instant();
    if (Duration.between(lastRound, now).compareTo(every) < 0) {
      return; // another ask queued this round already
    }
    lastRound = now;
    for (TrafficActuator a : actuators) {
      read(a);
    }
  }

  private void read(TrafficActuator a) {
    Reading before = readings.get(a.name());
    try {
      ObservedRouting seen = a.read();
      readings.put(a.name(), new Reading(a.name(), Optional.of(seen), Optional.of(clock.instant()), "", Optional.empty()));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (before.error().isEmpty()) {
        log.warn("[actuator={}] could not read back the routing: {}", a.name(), why);
      }
      readings.put(a.name(), new Reading(a.name(), before.routing(), before.readAt(), why, Optional.of(clock.instant())));
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
