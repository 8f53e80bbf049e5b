package dev.dialtone.carrier.fallback;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The outage-mode fallback: the ordered chain every number uses, numbers (DIDs) with a chain of
 * their own, how a chain rings, and the gateway PSTN destinations are reached through. Built from
 * the validated {@code fallback:} section ({@link FallbackConfig#plan()}); the constructor only
 * asserts invariants.
 *
 * @param destinations the default chain, first tried first; never empty
 * @param perNumber E.164 number → its own chain, replacing the default for that number
 * @param ring whether a chain rings in order or all at once
 * @param pstnGateway {@code host[:port]} reaching PSTN destinations; {@code null} if none is PSTN
 */
public record FallbackPlan(
    List<FallbackDestination> destinations, Map<String, List<FallbackDestination>> perNumber, RingMode ring, String pstnGateway) {
  static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  public FallbackPlan {
    if (destinations == null || destinations.isEmpty()) {
      throw new IllegalArgumentException("a fallback plan needs at least one destination");
    }
    destinations = List.copyOf(destinations);
    TreeMap<String, List<FallbackDestination>> copy = new TreeMap<>();
    (perNumber == null ? Map.<String, List<FallbackDestination>>of() : perNumber).forEach((number, chain) -> {
      if (!E164.matcher(number).matches()) {
        throw new IllegalArgumentException("'" + number + "' is not an E.164 number like +15551230000");
      }
      if (chain == null || chain.isEmpty()) {
        throw new IllegalArgumentException("the chain of " + number + " needs at least one destination");
      }
      copy.put(number, List.copyOf(chain));
    });
    perNumber = Collections.unmodifiableMap(copy);
    ring = Objects.requireNonNullElse(ring, RingMode.SEQUENTIAL);
    if (pstnGateway == null && hasPstn(destinations, copy)) {
      throw new IllegalArgumentException("a PSTN fallback destination needs a PSTN gateway");
    }
  }

  private static boolean hasPstn(List<FallbackDestination> chain, Map<String, List<FallbackDestination>> perNumber) {
    return Stream.concat(chain.stream(), perNumber.values().stream().flatMap(List::stream))
        .anyMatch(d -> d.kind() == FallbackDestination.Kind.PSTN);
  }

  /** Whether any chain has a PSTN destination (and so uses the gateway). */
  public boolean needsPstnGateway() {
    return hasPstn(destinations, perNumber);
  }

  /** A sequential plan with only the default chain and no PSTN gateway. */
  public static FallbackPlan of(FallbackDestination... destinations) {
    return new FallbackPlan(List.of(destinations), Map.of(), RingMode.SEQUENTIAL, null);
  }

  /** This plan ringing {@code mode}. */
  public FallbackPlan ringing(RingMode mode) {
    return new FallbackPlan(destinations, perNumber, mode, pstnGateway);
  }

  /** The chain a call to {@code number} follows: its own, else the default. */
  public List<FallbackDestination> chainFor(String number) {
    return perNumber.getOrDefault(number, destinations);
  }

  /** Where a SIP proxy sends a call for {@code destination} (a PSTN number at the gateway). */
  public String sipUri(FallbackDestination destination) {
    return destination.sipUri(pstnGateway);
  }
}
