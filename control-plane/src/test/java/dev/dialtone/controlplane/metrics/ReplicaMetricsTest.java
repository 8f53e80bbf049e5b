package dev.dialtone.controlplane.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dialtone.telemetry.MetricName;
import dev.dialtone.testkit.MonitoredMetrics;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ReplicaMetricsTest {
  @Test
  void theCatalogueIsWhatTheAlertRulesAndTheDashboardAreWrittenAgainst() throws Exception {
    Map<String, Set<String>> exported = new TreeMap<>();
    for (MetricName m : ReplicaMetrics.ALL) {
      exported.put(m.family(), new TreeSet<>(m.labels()));
    }
    assertThat(exported).isEqualTo(MonitoredMetrics.section(MonitoredMetrics.file(), "replica"));
  }
}
