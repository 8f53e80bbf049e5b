package dev.dialtone.actuation.calls;

import java.util.Map;
import java.util.TreeMap;

/**
 * What a carrier counted of the calls it routed, since it started: per destination (a region id,
 * a fallback kind such as {@code voicemail}, or the destination's URI when it is neither) calls
 * sent there and answered there, and calls no destination answered. Counters only grow, except
 * when the carrier restarts (as a Prometheus counter resets).
 */
public record CallCounts(Map<String, Destination> destinations, long failed) {
  /** Calls sent to one destination (each failover to it counted) and answered by it. */
  public record Destination(long routed, long answered) {
    public Destination {
      if (routed < 0 || answered < 0) {
        throw new IllegalArgumentException("call counts are never negative: routed=" + routed + " answered=" + answered);
      }
    }
  }

  public static final CallCounts NONE = new CallCounts(Map.of(), 0);

  public CallCounts {
    destinations = java.util.Collections.unmodifiableMap(new TreeMap<>(destinations));
  }

  /**
   * The calls between {@code earlier} and this count, per destination; a counter that went down
   * (the carrier restarted in between) counts from zero.
   */
  public CallCounts since(CallCounts earlier) {
    Map<String, Destination> delta = new TreeMap<>();
    destinations.forEach((id, now) -> {
      Destination before = earlier.destinations.getOrDefault(id, new Destination(0, 0));
      long routed = now.routed >= before.routed ? now.routed - before.routed : now.routed;
      long answered = now.answered >= before.answered ? now.answered - before.answered : now.answered;
      if (routed > 0 || answered > 0) {
        delta.put(id, new Destination(routed, answered));
      }
    });
    return new CallCounts(delta, failed >= earlier.failed ? failed - earlier.failed : failed);
  }

  /** This count and {@code other} added, for several carriers. */
  public CallCounts plus(CallCounts other) {
    Map<String, Destination> sum = new TreeMap<>(destinations);
    other.destinations.forEach((id, d) -> sum.merge(id, d, (a, b) -> new Destination(a.routed + b.routed, a.answered + b.answered)));
    return new CallCounts(sum, failed + other.failed);
  }
}
