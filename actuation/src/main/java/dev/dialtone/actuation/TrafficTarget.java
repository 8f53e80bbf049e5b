package dev.dialtone.actuation;

import java.util.List;
import java.util.stream.Collectors;

/** Where traffic should go: an ordered list of regions (active first), or outage mode. */
public sealed interface TrafficTarget {

  /** Human-readable form for logs and history, e.g. {@code us-east > us-west} or {@code OUTAGE}. */
  String describe();

  /**
   * Traffic goes to the first region; the others are standbys in fallback order.
   *
   * @param regions never empty: routing to zero regions is only ever expressed as {@link Outage}
   */
  record Routed(List<RegionEdge> regions) implements TrafficTarget {
    public Routed {
      regions = List.copyOf(regions);
      if (regions.isEmpty()) {
        throw new IllegalArgumentException("a routed target needs at least one region; use Outage");
      }
    }

    /** The region taking traffic. */
    public RegionEdge active() {
      return regions.get(0);
    }

    @Override
    public String describe() {
      return regions.stream().map(RegionEdge::regionId).collect(Collectors.joining(" > "));
    }
  }

  /** No region is healthy: calls go to the configured fallback destinations. */
  record Outage() implements TrafficTarget {
    @Override
    public String describe() {
      return "OUTAGE";
    }
  }
}
