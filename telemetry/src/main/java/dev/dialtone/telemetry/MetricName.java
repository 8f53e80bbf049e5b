package dev.dialtone.telemetry;

import io.prometheus.metrics.instrumentation.dropwizard5.labels.MapperConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One exported metric family: its Prometheus name, help text and label names, and the Dropwizard
 * names its series are recorded under ({@code family.value1.value2}, one segment per label, the
 * graphite-style convention the Prometheus bridge maps to labels).
 *
 * @param family the Prometheus name, in base units, counters ending in {@code _total}
 * @param help what one series means, for HELP
 * @param labels the label names, in the order {@link #name} takes their values
 */
public record MetricName(String family, String help, List<String> labels) {
  private static final Pattern PROMETHEUS_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

  public MetricName {
    if (family == null || !PROMETHEUS_NAME.matcher(family).matches()) {
      throw new IllegalArgumentException("metric family '" + family + "' must be snake_case (" + PROMETHEUS_NAME + ")");
    }
    if (help == null || help.isBlank()) {
      throw new IllegalArgumentException("metric " + family + " needs a help text");
    }
    labels = List.copyOf(labels);
    for (String l : labels) {
      if (!PROMETHEUS_NAME.matcher(l).matches() || l.startsWith("__")) {
        throw new IllegalArgumentException("label '" + l + "' of " + family + " must be snake_case");
      }
    }
  }

  /** A family with these label names. */
  public static MetricName of(String family, String help, String... labels) {
    return new MetricName(family, help, Arrays.asList(labels));
  }

  /**
   * The Dropwizard name of the series with these label values, e.g. {@code
   * dialtone_region_status.us-east}. A value may hold any character: a dot in it is escaped, so an
   * address such as {@code 127.0.0.1:9000} stays one segment and is exported as written.
   */
  public String name(String... values) {
    if (values.length != labels.size()) {
      throw new IllegalArgumentException(family + " takes " + labels.size() + " label values " + labels + ", not "
          + values.length + " " + Arrays.toString(values));
    }
    StringBuilder name = new StringBuilder(family);
    for (int i = 0; i < values.length; i++) {
      if (values[i] == null || values[i].isEmpty()) {
        throw new IllegalArgumentException("label " + labels.get(i) + " of " + family + " is empty");
      }
      name.append('.').append(values[i].replace("%", "%25").replace(".", "%2E"));
    }
    return name.toString();
  }

  /** The family as the exposition names it: counters lose {@code _total}, which the writer adds back. */
  String exposedName() {
    return family.endsWith("_total") ? family.substring(0, family.length() - "_total".length()) : family;
  }

  /** The bridge's mapping of this family's Dropwizard names to labels, if it has any. */
  Optional<MapperConfig> mapper() {
    if (labels.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> byPosition = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byPosition.put(labels.get(i), "${" + i + "}");
    }
    return Optional.of(new MapperConfig(family + ".*".repeat(labels.size()), family, byPosition));
  }

  /** A label value as {@link #name} wrote it, unescaped. */
  static String unescape(String value) {
    return value.replace("%2E", ".").replace("%25", "%");
  }
}
