package dev.dialtone.chaos.schedule;

import dev.dialtone.chaos.drill.DrillDefinition;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs scheduled drills on the leader only, exactly once per scheduled time: every tick, for each
 * drill, {@link DueRun#decide} says whether its latest scheduled time is due, and a claim in
 * {@link DrillClaims} makes sure only one replica launches it, even if two believe they lead.
 * A replica that does not lead keeps no watermark of its own, so after a leader change or downtime
 * the new leader applies the on-time grace and then the drill's {@link MissedRunPolicy}. The drill
 * set is read every tick, so drills applied or deleted while it runs take effect at the next one.
 */
public final class DrillScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DrillScheduler.class);

  private record Scheduled(DrillDefinition drill, DrillCalendar calendar, MissedRunPolicy policy) {}

  private final SchedulerConfig config;
  private final Supplier<List<DrillDefinition>> drills;
  /** Calendars by drill, rebuilt only when a drill's definition changes. */
  private final Map<DrillDefinition, Scheduled> parsed = new HashMap<>();
  private final LeadershipGate gate;
  private final DrillClaims claims;
  private final DrillLauncher launcher;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Map<String, Instant> watermarks = new HashMap<>();
  private ScheduledFuture<?> ticking;

  public DrillScheduler(
      SchedulerConfig config,
      Supplier<List<DrillDefinition>> drills,
      LeadershipGate gate,
      DrillClaims claims,
      DrillLauncher launcher,
      Clock clock,
      ScheduledExecutorService executor) {
    this.config = config;
    this.drills = drills;
    this.gate = gate;
    this.claims = claims;
    this.launcher = launcher;
    this.clock = clock;
    this.executor = executor;
  }

  /** Starts ticking on the executor. */
  public synchronized void start() {
    if (ticking == null) {
      long tickMillis = config.tick().toMillis();
      ticking = executor.scheduleWithFixedDelay(this::tickSafely, 0, tickMillis, TimeUnit.MILLISECONDS);
    }
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      // A failed tick must not cancel the fixed-delay task.
      log.error("drill scheduler tick failed", e);
    }
  }

  /** One look at the clock: launches what is due, if this replica leads. */
  public synchronized void tick() {
    if (!gate.isLeader()) {
      watermarks.clear(); // A future term starts from the claims, not from what we once saw.
      return;
    }
    Instant now = clock.instant();
    List<DrillDefinition> current = drills.get().stream().filter(d -> d.schedule() != null).toList();
    parsed.keySet().retainAll(current);
    for (DrillDefinition drill : current) {
      Scheduled scheduled = parsed.computeIfAbsent(drill,
          d -> new Scheduled(d, DrillCalendar.of(d.schedule()), MissedRunPolicy.of(d.schedule())));
      String name = scheduled.drill().name();
      DueRun due =
          DueRun.decide(
              scheduled.calendar().latestAtOrBefore(now), watermarks.get(name), now, config.onTimeGrace(), scheduled.policy(),
              scheduled.drill().schedule()::blockedAt);
      if (due.scheduledTime().isEmpty()) {
        continue;
      }
      Instant time = due.scheduledTime().get();
      long epoch = gate.epoch();
      if (!due.run()) {
        log.info("[epoch={}] drill {} at {}: {}", epoch, name, time, due.reason());
        watermarks.put(name, time);
        continue;
      }
      try {
        if (!gate.isLeader()) {
          return;
        }
        if (claims.claim(name, time, epoch)) {
          log.info("[epoch={}] drill {} at {}: claimed, launching ({})", epoch, name, time, due.reason());
          launcher.launch(scheduled.drill(), time, epoch);
        } else {
          log.info("[epoch={}] drill {} at {}: already claimed by another replica", epoch, name, time);
        }
        watermarks.put(name, time);
      } catch (DrillClaims.ClaimException e) {
        // Watermark unchanged: the next tick retries, and the missed-run policy judges the delay.
        log.warn("[epoch={}] drill {} at {}: claim failed, retrying: {}", epoch, name, time, e.getMessage());
      }
    }
  }

  @Override
  public synchronized void close() {
    if (ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
  }
}
