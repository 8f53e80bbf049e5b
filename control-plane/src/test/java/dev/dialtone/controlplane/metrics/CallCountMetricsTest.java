package dev.dialtone.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.calls.CallCounter;
import dev.dialtone.actuation.calls.CallCounts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CallCountMetricsTest {
  private final MetricRegistry metrics = new MetricRegistry();
  private final AtomicReference<CallCounts> carrierSays = new AtomicReference<>(CallCounts.NONE);
  private final AtomicBoolean leading = new AtomicBoolean(true);
  // A carrier's counts as a value (the Kamailio one is covered by KamailioDispatcherActuatorIT).
  private final CallCounter carrier = new CallCounter() {
    @Override
    public String name() {
      return "kamailio";
    }

    @Override
    public CallCounts calls() throws ActuationException {
      return carrierSays.get();
    }
  };
  private final CallCountMetrics calls = new CallCountMetrics(metrics, List.of(carrier), leading::get);

  private static CallCounts counts(long routed, long answered, long failed) {
    return new CallCounts(Map.of("voicemail", new CallCounts.Destination(routed, answered)), failed);
  }

  private long routed() {
    return metrics.counter(ReplicaMetrics.CALLS_ROUTED.name("kamailio", "voicemail")).getCount();
  }

  @Test
  void countersFollowTheCarrierAndStayMonotonicWhenItRestarts() {
    carrierSays.set(counts(5, 4, 1));
    calls.sample();
    carrierSays.set(counts(9, 8, 1));
    calls.sample();
    assertThat(routed()).isEqualTo(9);
    assertThat(metrics.counter(ReplicaMetrics.CALLS_ANSWERED.name("kamailio", "voicemail")).getCount()).isEqualTo(8);
    assertThat(metrics.counter(ReplicaMetrics.CALLS_FAILED.name("kamailio")).getCount()).isEqualTo(1);

    carrierSays.set(counts(2, 2, 0)); // Kamailio restarted: its counts began again at 0
    calls.sample();
    assertThat(routed()).isEqualTo(11);
    carrierSays.set(counts(3, 3, 0));
    calls.sample();
    assertThat(routed()).isEqualTo(12);
  }

  @Test
  void onlyTheLeaderReadsTheCarrier() {
    leading.set(false);
    carrierSays.set(counts(5, 5, 0));
    calls.sample();
    assertThat(metrics.getCounters()).isEmpty();
  }
}
