package dev.dialtone.carrier.kamailio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What Dialtone writes to Kamailio's database for one routing target: the rows of the dispatcher
 * table (set {@code setId}, then one set per number with a chain of its own, highest priority
 * first, each row carrying the writer's epoch and plan in its attributes so {@code dispatcher.list}
 * shows which term wrote what Kamailio routes by) and the rows of the {@code dialtone} htable.
 *
 * @param epoch the leadership epoch writing
 * @param planId the plan writing
 * @param outage whether the rows hold the outage-mode fallback rather than regions
 * @param ringParallel whether the fallback chains ring all at once (outage mode only)
 * @param destinations in routing order
 * @param perNumber numbers (DIDs) with a set of their own, each written as set {@code setId + 1 + i}
 *     in number order
 */
public record RoutingTables(
    long epoch, String planId, boolean outage, boolean ringParallel, List<Destination> destinations,
    SortedMap<String, List<Destination>> perNumber) {
  static final Pattern PLAN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  /** Kamailio's dispatcher table: {@code destination VARCHAR(192)}, {@code attrs VARCHAR(128)}. */
  static final int MAX_DESTINATION = 192;
  static final int MAX_ATTRS = 128;
  /** The htable keys besides {@code did:<number>}. */
  static final String OUTBOUND_BLOCKED = "outbound_blocked";
  static final String RING_PARALLEL = "ring_parallel";

  /**
   * One destination.
   *
   * @param id a region id, or {@code fallback-N} for the N-th fallback destination
   * @param uri the SIP URI Kamailio sends calls to
   */
  public record Destination(String id, String uri) {}

  /** A row of Kamailio's dispatcher table ({@code flags} 0). */
  public record DispatcherRow(int setId, String destination, int priority, String attrs, String description) {}

  public RoutingTables {
    destinations = List.copyOf(destinations);
    TreeMap<String, List<Destination>> copy = new TreeMap<>();
    perNumber.forEach((number, chain) -> copy.put(number, List.copyOf(chain)));
    perNumber = Collections.unmodifiableSortedMap(copy);
    ringParallel = outage && ringParallel;
  }

  /** Tables without per-number sets, ringing in order. */
  public RoutingTables(long epoch, String planId, boolean outage, List<Destination> destinations) {
    this(epoch, planId, outage, false, destinations, new TreeMap<>());
  }

  /** The dispatcher set each per-number chain is written to. */
  public Map<String, Integer> numberSets(int setId) {
    Map<String, Integer> sets = new LinkedHashMap<>();
    perNumber.keySet().forEach(number -> sets.put(number, setId + 1 + sets.size()));
    return sets;
  }

  /** The last set id written (the base set if there are no per-number sets). */
  public int lastSet(int setId) {
    return setId + perNumber.size();
  }

  /** What every row written for base set {@code setId} carries in its description column. */
  static String description(int setId) {
    return "dialtone set " + setId;
  }

  /**
   * The dispatcher rows for base set {@code setId}: priorities descend in routing order
   * (dispatcher algorithm 8).
   *
   * @throws IllegalArgumentException if a URI or attribute string exceeds Kamailio's columns
   */
  public List<DispatcherRow> dispatcherRows(int setId) {
    List<DispatcherRow> rows = new ArrayList<>();
    appendSet(rows, setId, setId, destinations, "");
    numberSets(setId).forEach((number, set) -> appendSet(rows, setId, set, perNumber.get(number), ";did=" + number));
    return rows;
  }

  private void appendSet(List<DispatcherRow> rows, int baseSet, int set, List<Destination> chain, String extra) {
    for (int i = 0; i < chain.size(); i++) {
      Destination d = chain.get(i);
      String attrs = attributes(d) + extra;
      if (d.uri().length() > MAX_DESTINATION) {
        throw new IllegalArgumentException("destination " + d.id() + " URI is longer than Kamailio's "
            + MAX_DESTINATION + " characters: " + d.uri());
      }
      if (attrs.length() > MAX_ATTRS) {
        throw new IllegalArgumentException("attributes of " + d.id() + " are longer than Kamailio's " + MAX_ATTRS
            + " characters (shorten the plan id or region id): " + attrs);
      }
      rows.add(new DispatcherRow(set, d.uri(), chain.size() - i, attrs, description(baseSet)));
    }
  }

  /** The attribute string of {@code d}, e.g. {@code duid=us-east;role=region;epoch=17;plan=p-1}. */
  String attributes(Destination d) {
    return "duid=" + d.id() + ";role=" + (outage ? "fallback" : "region") + ";epoch=" + epoch + ";plan=" + planId;
  }

  /**
   * The {@code dialtone} htable: {@code did:<number>} → its set, {@code outbound_blocked} and
   * {@code ring_parallel} → 0 or 1; all integers.
   */
  public Map<String, Integer> htable(int setId) {
    Map<String, Integer> entries = new LinkedHashMap<>();
    numberSets(setId).forEach((number, set) -> entries.put("did:" + number, set));
    entries.put(OUTBOUND_BLOCKED, outage ? 1 : 0);
    entries.put(RING_PARALLEL, ringParallel ? 1 : 0);
    return entries;
  }

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
