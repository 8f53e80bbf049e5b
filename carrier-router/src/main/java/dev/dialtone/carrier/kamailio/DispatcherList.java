package dev.dialtone.carrier.kamailio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dispatcher list file as Dialtone writes it: a header naming the epoch and plan that wrote it,
 * then one destination per line, highest priority first, each carrying the same ownership in its
 * attributes so {@code dispatcher.list} shows which term wrote what Kamailio routes by.
 *
 * @param epoch the leadership epoch that wrote the list ({@code 0} if unknown)
 * @param planId the plan that wrote it, or empty
 * @param outage whether it holds the outage-mode fallback rather than regions
 * @param destinations in routing order
 * @param perNumber numbers (DIDs) with a set of their own, each rendered as set {@code setId + 1 + i}
 *     in number order
 */
public record DispatcherList(
    long epoch, String planId, boolean outage, List<Destination> destinations, SortedMap<String, List<Destination>> perNumber) {
  static final Pattern PLAN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final Pattern HEADER =
      Pattern.compile("^# dialtone carrier routing: epoch=(\\d+) plan=(\\S*) mode=(routed|outage)", Pattern.MULTILINE);

  /**
   * One destination.
   *
   * @param id a region id, or {@code fallback-N} for the N-th fallback destination
   * @param uri the SIP URI Kamailio sends calls to
   */
  public record Destination(String id, String uri) {}

  public DispatcherList {
    destinations = List.copyOf(destinations);
    TreeMap<String, List<Destination>> copy = new TreeMap<>();
    perNumber.forEach((number, chain) -> copy.put(number, List.copyOf(chain)));
    perNumber = Collections.unmodifiableSortedMap(copy);
  }

  /** A list without per-number sets. */
  public DispatcherList(long epoch, String planId, boolean outage, List<Destination> destinations) {
    this(epoch, planId, outage, destinations, new TreeMap<>());
  }

  /** The dispatcher set each per-number chain is written to. */
  public Map<String, Integer> numberSets(int setId) {
    Map<String, Integer> sets = new LinkedHashMap<>();
    perNumber.keySet().forEach(number -> sets.put(number, setId + 1 + sets.size()));
    return sets;
  }

  /** The list file's text for dispatcher set {@code setId}. */
  public String render(int setId) {
    StringBuilder text = new StringBuilder()
        .append("# dialtone carrier routing: epoch=").append(epoch).append(" plan=").append(planId)
        .append(" mode=").append(outage ? "outage" : "routed").append('\n')
        .append("# written by dialtone; priorities descend in routing order (dispatcher algorithm 8)\n");
    appendSet(text, setId, destinations, "");
    numberSets(setId).forEach((number, set) -> appendSet(text, set, perNumber.get(number), ";did=" + number));
    return text.toString();
  }

  private void appendSet(StringBuilder text, int setId, List<Destination> chain, String extra) {
    for (int i = 0; i < chain.size(); i++) {
      Destination d = chain.get(i);
      text.append(setId).append(' ').append(d.uri()).append(" 0 ").append(chain.size() - i)
          .append(' ').append(attributes(d)).append(extra).append('\n');
    }
  }

  /** The attribute string of {@code d}, e.g. {@code duid=us-east;role=region;epoch=17;plan=p-1}. */
  String attributes(Destination d) {
    return "duid=" + d.id() + ";role=" + (outage ? "fallback" : "region") + ";epoch=" + epoch + ";plan=" + planId;
  }

  /** The epoch and plan recorded in a list file's header; {@code 0} and empty if it has none. */
  public static Header header(String fileText) {
    Matcher m = HEADER.matcher(fileText);
    return m.find()
        ? new Header(Long.parseLong(m.group(1)), m.group(2), "outage".equals(m.group(3)))
        : new Header(0, "", false);
  }

  /** What a list file's header records. */
  public record Header(long epoch, String planId, boolean outage) {}

  /** Parses a destination's attribute string ({@code key=value;...}). */
  public static Map<String, String> parseAttributes(String body) {
    Map<String, String> attrs = new LinkedHashMap<>();
    if (body == null) {
      return attrs;
    }
    for (String pair : body.split(";")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        attrs.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return attrs;
  }

  /** Numbers the fallback destinations {@code fallback-1..n} in order. */
  static List<Destination> fallbackDestinations(List<String> uris) {
    List<Destination> out = new ArrayList<>();
    for (int i = 0; i < uris.size(); i++) {
      out.add(new Destination("fallback-" + (i + 1), uris.get(i)));
    }
    return out;
  }
}
