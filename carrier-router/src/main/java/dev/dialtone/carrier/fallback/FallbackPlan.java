package dev.dialtone.carrier.fallback;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The outage-mode fallback: the ordered chain every number uses, and numbers (DIDs) with a chain
 * of their own.
 *
 * @param destinations the default chain, first tried first; never empty
 * @param perNumber E.164 number → its own chain, replacing the default for that number
 */
public record FallbackPlan(List<FallbackDestination> destinations, Map<String, List<FallbackDestination>> perNumber) {
  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  public FallbackPlan {
    if (destinations == null || destinations.isEmpty()) {
      throw new IllegalArgumentException("carrier.fallback: at least one destination is required");
    }
    destinations = List.copyOf(destinations);
    TreeMap<String, List<FallbackDestination>> copy = new TreeMap<>();
    for (Map.Entry<String, List<FallbackDestination>> e : (perNumber == null ? Map.<String, List<FallbackDestination>>of() : perNumber).entrySet()) {
      if (!E164.matcher(e.getKey()).matches()) {
        throw new IllegalArgumentException("carrier.fallbackPerNumber: '" + e.getKey() + "' is not an E.164 number like +15551230000");
      }
      if (e.getValue() == null || e.getValue().isEmpty()) {
        throw new IllegalArgumentException("carrier.fallbackPerNumber." + e.getKey() + ": at least one destination is required");
      }
      copy.put(e.getKey(), List.copyOf(e.getValue()));
    }
    perNumber = java.util.Collections.unmodifiableMap(copy);
  }

  /** A plan with only the default chain. */
  public static FallbackPlan of(FallbackDestination... destinations) {
    return new FallbackPlan(List.of(destinations), Map.of());
  }

  /** The chain a call to {@code number} follows: its own, else the default. */
  public List<FallbackDestination> chainFor(String number) {
    return perNumber.getOrDefault(number, destinations);
  }

  /** Whether any chain has a PSTN destination (and so needs a gateway). */
  public boolean needsPstnGateway() {
    return java.util.stream.Stream.concat(destinations.stream(), perNumber.values().stream().flatMap(List::stream))
        .anyMatch(d -> d.kind() == FallbackDestination.Kind.PSTN);
  }
}
