package dev.dialtone.controlplane.metrics;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.calls.CallCounter;
import dev.dialtone.actuation.calls.CallCounts;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The carriers' own call counts as Prometheus counters, read by the leader only (one reader per
 * deployment, so the series are not counted once per replica). A carrier's counters restart with
 * it; the exported counters stay monotonic across that by adding what it counted since.
 */
public final class CallCountMetrics {
  private static final Logger log = LoggerFactory.getLogger(CallCountMetrics.class);

  private final MetricRegistry metrics;
  private final List<CallCounter> carriers;
  private final BooleanSupplier leading;
  private final Map<String, Long> lastRead = new HashMap<>();

  public CallCountMetrics(MetricRegistry metrics, List<CallCounter> carriers, BooleanSupplier leading) {
    this.metrics = metrics;
    this.carriers = List.copyOf(carriers);
    this.leading = leading;
  }

  /** Reads every carrier once while leading; a carrier that cannot answer is skipped until the next read. */
  public synchronized void sample() {
    if (!leading.getAsBoolean()) {
      return;
    }
    for (CallCounter carrier : carriers) {
      CallCounts counts;
      try {
        counts = carrier.calls();
      } catch (ActuationException e) {
        log.debug("call counts of {} not read: {}", carrier.name(), e.getMessage());
        continue;
      }
      counts.destinations().forEach((destination, d) -> {
        advance(ReplicaMetrics.CALLS_ROUTED.name(carrier.name(), destination), d.routed());
        advance(ReplicaMetrics.CALLS_ANSWERED.name(carrier.name(), destination), d.answered());
      });
      advance(ReplicaMetrics.CALLS_FAILED.name(carrier.name()), counts.failed());
    }
  }

  private void advance(String name, long now) {
    Long before = lastRead.put(name, now);
    long added = before == null || now < before ? now : now - before; // lower than before: the carrier restarted
    metrics.counter(name).inc(added);
  }
}
