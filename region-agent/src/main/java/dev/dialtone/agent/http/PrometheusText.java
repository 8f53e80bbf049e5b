package dev.dialtone.agent.http;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.Metric;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a Dropwizard registry in the Prometheus text format (version 0.0.4). Metric names are
 * registered Prometheus-style with their labels, e.g. {@code dialtone_probe_status{probe="db"}};
 * timers become summaries in seconds.
 */
public final class PrometheusText {
  private static final double[] QUANTILES = {0.5, 0.9, 0.99};

  private PrometheusText() {}

  /** The registry as exposition text. */
  public static String write(MetricRegistry registry) {
    Map<String, StringBuilder> families = new TreeMap<>();
    Map<String, String> types = new TreeMap<>();
    for (Map.Entry<String, Metric> e : registry.getMetrics().entrySet()) {
      String name = e.getKey();
      int brace = name.indexOf('{');
      String base = brace < 0 ? name : name.substring(0, brace);
      String labels = brace < 0 ? "" : name.substring(brace + 1, name.length() - 1);
      StringBuilder out = families.computeIfAbsent(base, k -> new StringBuilder());
      Metric metric = e.getValue();
      if (metric instanceof Counter c) {
        types.put(base, "counter");
        line(out, base, labels, c.getCount());
      } else if (metric instanceof Gauge<?> g) {
        types.put(base, "gauge");
        Object v = g.getValue();
        double value = v instanceof Number n ? n.doubleValue() : v instanceof Boolean b ? (b ? 1 : 0) : Double.NaN;
        line(out, base, labels, value);
      } else if (metric instanceof Timer t) {
        types.put(base, "summary");
        Snapshot s = t.getSnapshot();
        for (double q : QUANTILES) {
          String ql = (labels.isEmpty() ? "" : labels + ",") + "quantile=\"" + q + "\"";
          line(out, base, ql, s.getValue(q) / 1e9);
        }
        line(out, base + "_count", labels, t.getCount());
      }
    }
    StringBuilder text = new StringBuilder();
    families.forEach((base, body) -> {
      if (types.containsKey(base)) {
        text.append("# TYPE ").append(base).append(' ').append(types.get(base)).append('\n').append(body);
      }
    });
    return text.toString();
  }

  private static void line(StringBuilder out, String name, String labels, double value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ').append(value == Math.rint(value) && !Double.isInfinite(value)
        ? Long.toString((long) value) : String.format(Locale.ROOT, "%.6g", value)).append('\n');
  }
}
