package dev.dialtone.dns.record;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The exact RRsets a placement asks for: a pure function of the target and the configuration.
 *
 * <ul>
 *   <li>A, AAAA, CNAME: the active region's edge (outage mode: the first fallback target's).
 *   <li>SRV: every routed region in order, priority 10 for the active one, then 20, 30, … so SIP
 *       clients carry their own ordered fallback (outage mode: the fallback targets in order).
 * </ul>
 *
 * A type the edge has no data for is left out (its RRset is removed), but a name never ends up
 * with no data at all: that is refused with {@link IllegalArgumentException} naming the record.
 */
public final class DesiredRecords {
  /** The SRV priority step between consecutive regions. */
  public static final int SRV_PRIORITY_STEP = 10;

  private final List<ManagedRecord> records;
  private final List<RegionEdge> fallback;

  /**
   * @param records the managed records, from the configuration
   * @param fallback outage-mode targets in order (a maintenance address, an answering service's
   *     SIP URI); may be empty only if outage mode is never asked of DNS
   */
  public DesiredRecords(List<ManagedRecord> records, List<RegionEdge> fallback) {
    this.records = List.copyOf(records);
    this.fallback = List.copyOf(fallback);
    if (this.records.isEmpty()) {
      throw new IllegalArgumentException("no managed records configured");
    }
  }

  /** The names this configuration manages, in configuration order. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    records.forEach(r -> names.add(r.name()));
    return names;
  }

  /** The RRsets {@code target} asks for, keyed and in configuration order. */
  public Map<RecordKey, RecordSet> compute(TrafficTarget target) {
    List<RegionEdge> edges =
        switch (target) {
          case TrafficTarget.Routed routed -> routed.regions();
          case TrafficTarget.Outage outage -> {
            if (fallback.isEmpty()) {
              throw new IllegalArgumentException(
                  "outage mode asked of DNS but no fallback targets are configured (dns.fallback)");
            }
            yield fallback;
          }
        };
    Map<RecordKey, RecordSet> desired = new LinkedHashMap<>();
    for (ManagedRecord record : records) {
      List<String> data = data(record.type(), edges);
      if (!data.isEmpty()) {
        desired.put(record.key(), new RecordSet(record.key(), record.ttl(), data));
      }
    }
    for (String name : names()) {
      if (desired.keySet().stream().noneMatch(k -> k.name().equals(name))) {
        throw new IllegalArgumentException(
            "refusing an empty answer: " + name + " would hold no record for " + target.describe()
                + " (" + edges.get(0).regionId() + " has no data for "
                + records.stream().filter(r -> r.name().equals(name)).map(r -> r.type().name()).toList() + ")");
      }
    }
    return desired;
  }

  private static List<String> data(RecordType type, List<RegionEdge> edges) {
    RegionEdge first = edges.get(0);
    return switch (type) {
      case A -> first.ipv4();
      case AAAA -> first.ipv6();
      case CNAME -> first.cname() == null ? List.of() : List.of(first.cname().endsWith(".") ? first.cname() : first.cname() + ".");
      case SRV -> srv(edges);
      case TXT -> throw new IllegalArgumentException("TXT is reserved for ownership records");
    };
  }

  private static List<String> srv(List<RegionEdge> edges) {
    List<String> data = new ArrayList<>();
    int priority = SRV_PRIORITY_STEP;
    for (RegionEdge edge : edges) {
      if (edge.sipUri() != null) {
        SipTarget sip = SipTarget.of(edge.sipUri());
        // Weight 0: one target per priority, so there is nothing to balance (RFC 2782).
        data.add(priority + " 0 " + sip.port() + " " + sip.host());
        priority += SRV_PRIORITY_STEP;
      }
    }
    return data;
  }
}
