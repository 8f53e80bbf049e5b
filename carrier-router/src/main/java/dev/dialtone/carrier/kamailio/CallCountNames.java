package dev.dialtone.carrier.kamailio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.actuation.calls.CallCounts;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Turns the {@code dialtone_calls} htable of {@code dialtone-routing.cfg} into {@link CallCounts}
 * by destination name: {@code routed:<destination URI>} and {@code answered:<ip>:<port>} (the
 * reply's source) are matched to the regions and fallback destinations the actuator knows, by
 * URI and by resolved address; what matches nothing keeps its URI or address. Fallback
 * destinations are named by their kind ({@code voicemail}, {@code queue}, {@code pstn},
 * {@code answering-service}), so two voicemail URIs count as one {@code voicemail}.
 */
final class CallCountNames {
  static final String HTABLE = "dialtone_calls";
  static final String ROUTED = "routed:";
  static final String ANSWERED = "answered:";
  static final String FAILED = "failed";

  /** Destination URI → its name (region id, or fallback kind). */
  private final Map<String, String> names = new ConcurrentHashMap<>();
  /** {@code ip:port} → destination URI, resolved once per URI. */
  private final Map<String, String> addresses = new ConcurrentHashMap<>();

  /** Names every destination of {@code plan}'s chains by its kind. */
  static CallCountNames of(FallbackPlan plan) {
    CallCountNames names = new CallCountNames();
    Stream.concat(plan.destinations().stream(), plan.perNumber().values().stream().flatMap(List::stream))
        .forEach(d -> names.name(plan.sipUri(d), kindName(d.kind())));
    return names;
  }

  /** Remembers what {@code uri} is called; the latest naming wins. */
  void name(String uri, String name) {
    if (!name.equals(names.put(uri, name))) {
      address(uri).ifPresent(a -> addresses.put(a, uri));
    }
  }

  /** What {@code uri} is called, if known. */
  Optional<String> nameOf(String uri) {
    return Optional.ofNullable(names.get(uri));
  }

  /** A fallback kind as a name: {@code ANSWERING_SERVICE} → {@code answering-service}. */
  static String kindName(FallbackDestination.Kind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The counts in an {@code htable.dump dialtone_calls} answer (slots of name/value/type). */
  CallCounts counts(JsonNode dump) {
    Map<String, long[]> byName = new TreeMap<>();
    long failed = 0;
    for (JsonNode slot : dump) {
      for (JsonNode item : slot.path("slot")) {
        String key = item.path("name").asText();
        long value = Math.max(0, item.path("value").asLong(0));
        if (key.equals(FAILED)) {
          failed += value;
        } else if (key.startsWith(ROUTED)) {
          String uri = key.substring(ROUTED.length());
          byName.computeIfAbsent(names.getOrDefault(uri, uri), n -> new long[2])[0] += value;
        } else if (key.startsWith(ANSWERED)) {
          String address = key.substring(ANSWERED.length());
          String uri = addresses.get(address);
          String name = uri == null ? address : names.getOrDefault(uri, uri);
          byName.computeIfAbsent(name, n -> new long[2])[1] += value;
        }
      }
    }
    Map<String, CallCounts.Destination> destinations = new TreeMap<>();
    byName.forEach((name, c) -> destinations.put(name, new CallCounts.Destination(c[0], c[1])));
    return new CallCounts(destinations, failed);
  }

  /** The {@code ip:port} a reply from {@code uri} comes from (SIP's default ports), if it resolves. */
  static Optional<String> address(String uri) {
    try {
      URI parsed = URI.create(uri.replaceFirst("^sips?:", "sip://").replaceFirst(";.*$", ""));
      String host = parsed.getHost();
      if (host == null) {
        return Optional.empty();
      }
      int port = parsed.getPort() > 0 ? parsed.getPort() : uri.startsWith("sips:") ? 5061 : 5060;
      return Optional.of(InetAddress.getByName(host).getHostAddress() + ":" + port);
    } catch (IllegalArgumentException | UnknownHostException e) {
      return Optional.empty(); // its answers are counted under their address instead
    }
  }
}
