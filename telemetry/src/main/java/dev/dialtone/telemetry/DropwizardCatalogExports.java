package dev.dialtone.telemetry;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.instrumentation.dropwizard5.labels.CustomLabelMapper;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Exports a Dropwizard registry through the Prometheus client's own Dropwizard bridge, with the
 * catalogue's names, labels and help: counters as counters, gauges as gauges, timers as summaries
 * in seconds.
 *
 * <p>Why not the bridge alone: in 1.4.3 (the newest served here) it builds one snapshot per
 * Dropwizard metric and refuses two with the same Prometheus name, so a label mapping of several
 * series into one family fails every scrape ("duplicate metric name", prometheus/client_java#1712);
 * and its HELP names the metric's Java class. So each metric goes through the bridge on its own,
 * and the series of one family are gathered into one snapshot with the catalogue's help.
 */
public final class DropwizardCatalogExports implements MultiCollector {
  private final MetricRegistry registry;
  private final Map<String, MetricName> byExposedName;
  private final Optional<CustomLabelMapper> mapper;

  public DropwizardCatalogExports(MetricRegistry registry, Collection<MetricName> catalogue) {
    this.registry = registry;
    this.byExposedName = catalogue.stream().collect(Collectors.toMap(MetricName::exposedName, Function.identity(),
        (a, b) -> {
          throw new IllegalArgumentException("metric family " + a.family() + " is catalogued twice");
        }, TreeMap::new));
    var configs = catalogue.stream().flatMap(m -> m.mapper().stream()).toList();
    this.mapper = configs.isEmpty() ? Optional.empty() : Optional.of(new CustomLabelMapper(configs));
  }

  @Override
  public MetricSnapshots collect() {
    Map<String, List<MetricSnapshot>> families = new TreeMap<>();
    for (String name : registry.getNames()) {
      DropwizardExports one = mapper.isPresent()
          ? new DropwizardExports(registry, (n, m) -> n.equals(name), mapper.get())
          : new DropwizardExports(registry, (n, m) -> n.equals(name));
      for (MetricSnapshot s : one.collect()) {
        families.computeIfAbsent(s.getMetadata().getPrometheusName(), k -> new ArrayList<>()).add(s);
      }
    }
    MetricSnapshots.Builder out = MetricSnapshots.builder();
    families.forEach((exposed, parts) -> out.metricSnapshot(merge(exposed, parts)));
    return out.build();
  }

  private MetricSnapshot merge(String exposed, List<MetricSnapshot> parts) {
    MetricSnapshot first = parts.getFirst();
    String help = Optional.ofNullable(byExposedName.get(exposed)).map(MetricName::help)
        .orElse("Dropwizard metric " + first.getMetadata().getName() + " (not in the catalogue)");
    MetricMetadata metadata = new MetricMetadata(first.getMetadata().getName(), help);
    for (MetricSnapshot p : parts) {
      if (p.getClass() != first.getClass()) {
        throw new IllegalStateException("metric family " + exposed + " mixes " + first.getClass().getSimpleName()
            + " and " + p.getClass().getSimpleName() + ": record each family with one kind of Dropwizard metric");
      }
    }
    return switch (first) {
      case CounterSnapshot c -> new CounterSnapshot(metadata, points(parts, CounterDataPointSnapshot.class,
          d -> CounterDataPointSnapshot.builder().value(d.getValue()).labels(unescaped(d)).build()));
      case GaugeSnapshot g -> new GaugeSnapshot(metadata, points(parts, GaugeDataPointSnapshot.class,
          d -> GaugeDataPointSnapshot.builder().value(d.getValue()).labels(unescaped(d)).build()));
      case SummarySnapshot s -> new SummarySnapshot(metadata, points(parts, SummaryDataPointSnapshot.class,
          d -> SummaryDataPointSnapshot.builder().count(d.getCount()).quantiles(d.getQuantiles()).labels(unescaped(d))
              .build()));
      default -> throw new IllegalStateException("metric family " + exposed + ": the bridge made a "
          + first.getClass().getSimpleName() + ", which this exporter does not gather");
    };
  }

  private static <D extends DataPointSnapshot> List<D> points(List<MetricSnapshot> parts, Class<D> type,
      Function<D, D> rebuild) {
    return parts.stream().flatMap(p -> p.getDataPoints().stream()).map(type::cast).map(rebuild).toList();
  }

  private static Labels unescaped(DataPointSnapshot d) {
    Labels.Builder labels = Labels.builder();
    for (int i = 0; i < d.getLabels().size(); i++) {
      labels.label(d.getLabels().getName(i), MetricName.unescape(d.getLabels().getValue(i)));
    }
    return labels.build();
  }
}
