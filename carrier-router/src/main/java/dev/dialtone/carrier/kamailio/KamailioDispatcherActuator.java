package dev.dialtone.carrier.kamailio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.actuation.calls.CallCounter;
import dev.dialtone.actuation.calls.CallCounts;
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.fallback.RingMode;
import dev.dialtone.carrier.kamailio.RoutingTables.Destination;
import dev.dialtone.carrier.kamailio.RoutingTables.DispatcherRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shifts inbound calls on a Kamailio edge over the network only, never through a file: Kamailio's
 * {@code dispatcher} module and {@code dialtone} htable load their rows from PostgreSQL
 * ({@code deploy/kamailio/dialtone-routing.cfg}), so an apply
 * <ol>
 *   <li>checks the {@link EpochGuard} (the epoch is still current in ZooKeeper);
 *   <li>in one database transaction takes the set's {@code dialtone_owner} row by compare-and-set
 *       (a row holding a newer epoch refuses: {@link FencedException}, nothing changed), replaces
 *       the set's dispatcher rows (routed: active region first, standbys after, by descending
 *       priority; outage: the ordered fallback destinations, and a set per number with a chain of
 *       its own) and the htable rows ({@code did:<number>}, {@code outbound_blocked},
 *       {@code ring_parallel}), and commits;
 *   <li>sends {@code dispatcher.reload} and {@code htable.reload dialtone} over JSON-RPC;
 *   <li>reads back {@code dispatcher.list} and {@code htable.dump} and confirms Kamailio serves
 *       exactly what was written.
 * </ol>
 * A restarted Kamailio loads the latest routing from the database by itself. Re-applying the same
 * plan resumes a half-done apply (e.g. rows committed, reload refused because Kamailio was down).
 *
 * <p>It also reads the calls Kamailio counted ({@link #calls()}) per region and fallback
 * destination.
 */
public final class KamailioDispatcherActuator implements TrafficActuator, CallCounter, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KamailioDispatcherActuator.class);
  /** The htable naming each per-number set, outbound blocking and parallel ringing. */
  static final String HTABLE = "dialtone";

  private final KamailioConfig config;
  private final FallbackPlan fallback;
  private final EpochGuard guard;
  private final String name;
  private final KamailioRpc rpc;
  private final RoutingDatabase database;
  private final CallCountNames callNames;

  /**
   * @param fallback outage mode's chains and ring mode
   * @param clock stamps the owner row's {@code updated_at}
   */
  public KamailioDispatcherActuator(KamailioConfig config, FallbackPlan fallback, EpochGuard guard, Clock clock) {
    this.config = config;
    this.fallback = fallback;
    this.guard = guard;
    this.name = config.actuatorName();
    this.rpc = new KamailioRpc(config.rpcUri(), config.rpcToken(), config.rpcTimeout(), name);
    this.database = new RoutingDatabase(config.database(), config.rpcTimeout(), name, clock);
    this.callNames = CallCountNames.of(fallback);
  }

  @Override
  public String name() {
    return name;
  }

  /** What Kamailio routes set {@code setId} by now ({@code dispatcher.list}), owner from the rows' attributes. */
  @Override
  public ObservedRouting read() throws ActuationException {
    List<JsonNode> targets = served(rpc.call("dispatcher.list")).getOrDefault(config.setId(), List.of());
    if (targets.isEmpty()) {
      return new ObservedRouting(List.of(), false, 0, "set " + config.setId() + " is empty");
    }
    List<String> regions = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    boolean outage = false;
    long epoch = 0;
    String plan = "";
    for (JsonNode dest : targets) {
      Map<String, String> attrs = RoutingTables.parseAttributes(dest.path("ATTRS").path("BODY").asText(null));
      String id = attrs.getOrDefault("duid", dest.path("URI").asText());
      if ("fallback".equals(attrs.get("role"))) {
        outage = true;
      } else {
        regions.add(id);
      }
      long recorded = parseEpoch(attrs.get("epoch"));
      if (recorded >= epoch) {
        epoch = recorded;
        plan = attrs.getOrDefault("plan", "");
      }
      shown.add(id + "(" + dest.path("FLAGS").asText() + ")");
    }
    return new ObservedRouting(outage ? List.of() : regions, outage, epoch,
        "set " + config.setId() + ": " + String.join(" > ", shown) + " epoch=" + epoch + " plan=" + plan);
  }

  /**
   * The calls Kamailio counted since it started ({@code htable.dump dialtone_calls}), per
   * destination: a region by its id (from the {@code duid} of the {@code role=region} rows
   * Kamailio serves or that this actuator wrote), a fallback destination by its kind
   * ({@code voicemail}, {@code queue}, …), else the destination's URI; answers matched to a
   * destination by its resolved address.
   */
  @Override
  public CallCounts calls() throws ActuationException {
    for (JsonNode record : rpc.call("dispatcher.list").path("RECORDS")) {
      for (JsonNode target : record.path("SET").path("TARGETS")) {
        JsonNode dest = target.path("DEST");
        Map<String, String> attrs = RoutingTables.parseAttributes(dest.path("ATTRS").path("BODY").asText(null));
        String uri = dest.path("URI").asText();
        if ("region".equals(attrs.get("role")) && attrs.containsKey("duid") && callNames.nameOf(uri).isEmpty()) {
          callNames.name(uri, attrs.get("duid"));
        }
      }
    }
    return callNames.counts(rpc.call("htable.dump", CallCountNames.HTABLE));
  }

  /** Also confirms the htable's outbound blocking matches the target. */
  @Override
  public void verify(long epoch, TrafficTarget target) throws ActuationException {
    TrafficActuator.super.verify(epoch, target);
    Integer blocked = htable().get(RoutingTables.OUTBOUND_BLOCKED);
    int expected = target instanceof TrafficTarget.Outage ? 1 : 0;
    if (blocked == null || blocked != expected) {
      throw new ActuationException(Failure.TRANSIENT, name,
          "read back htable " + HTABLE + " outbound_blocked=" + blocked + ", expected " + expected + " for " + target.describe());
    }
  }

  /**
   * The {@code dialtone_owner} row of a set: who last wrote its routing.
   *
   * @param mode {@code routed} or {@code outage}
   */
  public record Owner(long epoch, String planId, String mode, java.time.Instant updatedAt) {}

  /** The owner row of the set in Kamailio's database, for status and tests. */
  public Optional<Owner> owner() throws ActuationException {
    return database.owner(config.setId());
  }

  @Override
  public void apply(long epoch, String planId, TrafficTarget target) throws ActuationException {
    String tag = "[region=" + activeRegion(target) + " epoch=" + epoch + " plan=" + planId + "]";
    if (planId == null || !RoutingTables.PLAN_ID.matcher(planId).matches()) {
      throw new ActuationException(Failure.PERMANENT, name, "plan id '" + planId + "' must match " + RoutingTables.PLAN_ID);
    }
    RoutingTables tables;
    try {
      tables = tables(epoch, planId, target);
      tables.dispatcherRows(config.setId());
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ActuationException(Failure.PERMANENT, name, e.getMessage(), e);
    }

    if (target instanceof TrafficTarget.Routed) {
      tables.destinations().forEach(d -> callNames.name(d.uri(), d.id()));
    }
    guard.check(epoch);
    try {
      database.write(config.setId(), tables);
    } catch (FencedException e) {
      log.info("{} {} fenced: set {} is owned by epoch {} in {}", tag, name, config.setId(), e.ownerEpoch(),
          config.database().shown());
      throw e;
    }
    rpc.call("dispatcher.reload");
    rpc.call("htable.reload", HTABLE);
    confirm(tables);
    log.info("{} {} set {} routes {}", tag, name, config.setId(), target.describe());
  }

  // Kamailio serves exactly the rows just committed: the same destinations, priorities and
  // ownership in every set written, and the same htable entries.
  private void confirm(RoutingTables tables) throws ActuationException {
    Map<Integer, List<JsonNode>> served = served(rpc.call("dispatcher.list"));
    Map<Integer, List<String>> expected = new TreeMap<>();
    for (DispatcherRow row : tables.dispatcherRows(config.setId())) {
      expected.computeIfAbsent(row.setId(), s -> new ArrayList<>()).add(row.destination() + " " + row.priority() + " " + row.attrs());
    }
    for (Map.Entry<Integer, List<String>> set : expected.entrySet()) {
      List<String> seen = served.getOrDefault(set.getKey(), List.of()).stream()
          .map(d -> d.path("URI").asText() + " " + d.path("PRIORITY").asInt() + " " + d.path("ATTRS").path("BODY").asText())
          .toList();
      if (!seen.equals(set.getValue())) {
        throw new ActuationException(Failure.TRANSIENT, name, "after dispatcher.reload Kamailio at " + rpc.url()
            + " serves set " + set.getKey() + " as " + seen + ", not the rows written to " + config.database().shown() + " "
            + set.getValue() + " (does its db_url name the same database?)");
      }
    }
    Map<String, Integer> wantedHtable = tables.htable(config.setId());
    Map<String, Integer> seenHtable = htable();
    if (!seenHtable.equals(wantedHtable)) {
      throw new ActuationException(Failure.TRANSIENT, name, "after htable.reload Kamailio at " + rpc.url() + " holds "
          + HTABLE + " " + seenHtable + ", not the rows written to " + config.database().shown() + " " + wantedHtable);
    }
  }

  // Set id → destinations by descending priority, from dispatcher.list.
  private static Map<Integer, List<JsonNode>> served(JsonNode list) {
    Map<Integer, List<JsonNode>> sets = new TreeMap<>();
    for (JsonNode record : list.path("RECORDS")) {
      JsonNode set = record.path("SET");
      List<JsonNode> targets = sets.computeIfAbsent(set.path("ID").asInt(), id -> new ArrayList<>());
      set.path("TARGETS").forEach(t -> targets.add(t.path("DEST")));
      targets.sort(Comparator.comparingInt((JsonNode d) -> d.path("PRIORITY").asInt()).reversed());
    }
    return sets;
  }

  // The dialtone htable's integer entries, from htable.dump (slots of name/value/type).
  private Map<String, Integer> htable() throws ActuationException {
    Map<String, Integer> entries = new TreeMap<>();
    for (JsonNode slot : rpc.call("htable.dump", HTABLE)) {
      for (JsonNode item : slot.path("slot")) {
        entries.put(item.path("name").asText(), item.path("value").isInt() ? item.path("value").asInt() : null);
      }
    }
    return entries;
  }

  private static long parseEpoch(String text) {
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // Numbers with their own outage chain keep a set of their own in routed mode too (holding the
  // regions), so their htable entries never point at a missing set.
  private RoutingTables tables(long epoch, String planId, TrafficTarget target) {
    TreeMap<String, List<Destination>> perNumber = new TreeMap<>();
    return switch (target) {
      case TrafficTarget.Routed routed -> {
        List<Destination> regions = routed.regions().stream().map(KamailioDispatcherActuator::regionDestination).toList();
        fallback.perNumber().keySet().forEach(number -> perNumber.put(number, regions));
        yield new RoutingTables(epoch, planId, false, false, regions, perNumber);
      }
      case TrafficTarget.Outage outage -> {
        fallback.perNumber().forEach((number, chain) -> perNumber.put(number, fallback(chain)));
        yield new RoutingTables(epoch, planId, true, fallback.ring() == RingMode.PARALLEL,
            fallback(fallback.destinations()), perNumber);
      }
    };
  }

  private List<Destination> fallback(List<FallbackDestination> chain) {
    return RoutingTables.fallbackDestinations(chain.stream().map(fallback::sipUri).toList());
  }

  private static Destination regionDestination(RegionEdge edge) {
    if (edge.sipUri() == null) {
      throw new IllegalArgumentException("region " + edge.regionId() + " has no SIP URI to route calls to");
    }
    return new Destination(edge.regionId(), edge.sipUri().toString());
  }

  private static String activeRegion(TrafficTarget target) {
    return target instanceof TrafficTarget.Routed r ? r.active().regionId() : "none";
  }

  @Override
  public void close() {
    rpc.close();
    database.close();
  }
}
