package dev.dialtone.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  @Test
  void writesCountersGaugesAndTimersAsFamiliesWithLabels() {
    MetricRegistry registry = new MetricRegistry();
    registry.counter("dialtone_agent_reports_sent_total{replica=\"cp1:7443\"}").inc(3);
    registry.gauge("dialtone_probe_status{probe=\"db\"}", () -> (Gauge<Integer>) () -> 2);
    registry.gauge("dialtone_agent_ready", () -> (Gauge<Boolean>) () -> true);
    registry.timer("dialtone_probe_latency_seconds{probe=\"db\"}").update(Duration.ofMillis(250));

    String text = PrometheusText.write(registry);

    assertThat(text).isEqualTo("""
        # TYPE dialtone_agent_ready gauge
        dialtone_agent_ready 1
        # TYPE dialtone_agent_reports_sent_total counter
        dialtone_agent_reports_sent_total{replica="cp1:7443"} 3
        # TYPE dialtone_probe_latency_seconds summary
        dialtone_probe_latency_seconds{probe="db",quantile="0.5"} 0.250000
        dialtone_probe_latency_seconds{probe="db",quantile="0.9"} 0.250000
        dialtone_probe_latency_seconds{probe="db",quantile="0.99"} 0.250000
        dialtone_probe_latency_seconds_count{probe="db"} 1
        # TYPE dialtone_probe_status gauge
        dialtone_probe_status{probe="db"} 2
        """);
  }
}
