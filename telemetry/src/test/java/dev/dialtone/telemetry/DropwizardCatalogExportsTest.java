package dev.dialtone.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DropwizardCatalogExportsTest {
  static final MetricName SENT = MetricName.of("dialtone_reports_sent_total", "Reports sent, by replica.", "region", "replica");
  static final MetricName STATUS = MetricName.of("dialtone_region_status", "Region health: 0 unknown, 1 up, 2 degraded, 3 down.", "region");
  static final MetricName LEADER = MetricName.of("dialtone_leader", "1 while this replica leads.");
  static final MetricName LATENCY = MetricName.of("dialtone_probe_latency_seconds", "Probe latency.", "probe");
  static final List<MetricName> CATALOGUE = List.of(SENT, STATUS, LEADER, LATENCY);

  private final MetricRegistry metrics = new MetricRegistry();

  private String scrape(List<MetricName> catalogue) throws Exception {
    PrometheusEndpoint endpoint = new PrometheusEndpoint(metrics, catalogue);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, endpoint.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void seriesOfOneFamilyBecomeOneFamilyWithLabelsAndTheCataloguesHelp() throws Exception {
    metrics.counter(SENT.name("us-east", "127.0.0.1:9001")).inc(3);
    metrics.counter(SENT.name("us-east", "10.0.0.2:9001")).inc(5);
    metrics.register(STATUS.name("us-east"), (Gauge<Integer>) () -> 1);
    metrics.register(STATUS.name("us-west"), (Gauge<Integer>) () -> 3);
    metrics.register(LEADER.name(), (Gauge<Integer>) () -> 1);
    metrics.timer(LATENCY.name("db")).update(Duration.ofMillis(250));

    String text = scrape(CATALOGUE);

    assertThat(text).contains(
        "# HELP dialtone_reports_sent_total Reports sent, by replica.\n# TYPE dialtone_reports_sent_total counter\n",
        "dialtone_reports_sent_total{region=\"us-east\",replica=\"127.0.0.1:9001\"} 3.0\n",
        "dialtone_reports_sent_total{region=\"us-east\",replica=\"10.0.0.2:9001\"} 5.0\n",
        "# TYPE dialtone_region_status gauge\n",
        "dialtone_region_status{region=\"us-east\"} 1.0\n",
        "dialtone_region_status{region=\"us-west\"} 3.0\n",
        "# HELP dialtone_leader 1 while this replica leads.\n",
        "dialtone_leader 1.0\n",
        "# TYPE dialtone_probe_latency_seconds summary\n",
        "dialtone_probe_latency_seconds{probe=\"db\",quantile=\"0.5\"} 0.25\n",
        "dialtone_probe_latency_seconds_count{probe=\"db\"} 1\n");
    assertThat(text).doesNotContain("Generated from Dropwizard", "$$Lambda", "%2E");
    // The process's own metrics come with it.
    assertThat(text).contains("# TYPE jvm_memory_used_bytes gauge", "process_cpu_seconds_total");
  }

  @Test
  void aMetricOutsideTheCatalogueIsStillExportedAndSaysSo() throws Exception {
    metrics.counter("stray_total").inc();
    assertThat(scrape(CATALOGUE)).contains("# HELP stray_total Dropwizard metric stray (not in the catalogue)");
  }

  @Test
  void aFamilyRecordedAsTwoKindsIsRefusedNamingIt() {
    metrics.counter(STATUS.name("us-east"));
    metrics.register(STATUS.name("us-west"), (Gauge<Integer>) () -> 3);
    assertThatThrownBy(() -> scrape(CATALOGUE)).hasMessageContaining("dialtone_region_status mixes");
  }

  @Test
  void namesAreCheckedWhereTheyAreMade() {
    assertThatThrownBy(() -> STATUS.name()).hasMessageContaining("dialtone_region_status takes 1 label values [region]");
    assertThatThrownBy(() -> STATUS.name("")).hasMessageContaining("label region of dialtone_region_status is empty");
    assertThatThrownBy(() -> MetricName.of("Dialtone-Leader", "x")).hasMessageContaining("must be snake_case");
    assertThatThrownBy(() -> MetricName.of("dialtone_x", " ")).hasMessageContaining("needs a help text");
    assertThatThrownBy(() -> new DropwizardCatalogExports(metrics, List.of(LEADER, LEADER)))
        .hasMessageContaining("dialtone_leader is catalogued twice");
  }
}
