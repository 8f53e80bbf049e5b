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
import dev.dialtone.carrier.fallback.FallbackDestination;
import dev.dialtone.carrier.kamailio.DispatcherList.Destination;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shifts inbound calls by rewriting a Kamailio dispatcher set: the list file is written atomically
 * (active region first, standbys after, by descending priority; or the ordered fallback
 * destinations in outage mode, with outbound calling blocked), loaded with
 * {@code dispatcher.reload} and read back with {@code dispatcher.list}. Kamailio has no conditional write, so the {@link EpochGuard} is checked
 * immediately before each step, and the writing epoch is kept in the list (header and attributes)
 * so a stale leader finds it and stops before changing anything.
 */
public final class KamailioDispatcherActuator implements TrafficActuator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KamailioDispatcherActuator.class);
  static final String NAME = "carrier/kamailio";
  /** The htable naming each per-number set ({@code did:<number>} → set id) and {@code outbound_blocked}. */
  static final String HTABLE = "dialtone";

  private final KamailioConfig config;
  private final EpochGuard guard;
  private final KamailioRpc rpc;

  public KamailioDispatcherActuator(KamailioConfig config, EpochGuard guard) {
    this.config = config;
    this.guard = guard;
    this.rpc = new KamailioRpc(config.rpcUrl(), config.rpcTimeout(), NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ObservedRouting read() throws ActuationException {
    JsonNode result = rpc.call("dispatcher.list");
    JsonNode set = null;
    for (JsonNode record : result.path("RECORDS")) {
      if (record.path("SET").path("ID").asInt() == config.setId()) {
        set = record.path("SET");
      }
    }
    if (set == null) {
      return new ObservedRouting(List.of(), false, 0, "set " + config.setId() + " is empty");
    }
    List<JsonNode> targets = new ArrayList<>();
    set.path("TARGETS").forEach(t -> targets.add(t.path("DEST")));
    targets.sort(Comparator.comparingInt((JsonNode d) -> d.path("PRIORITY").asInt()).reversed());
    List<String> regions = new ArrayList<>();
    List<String> shown = new ArrayList<>();
    boolean outage = false;
    long epoch = 0;
    String plan = "";
    for (JsonNode dest : targets) {
      Map<String, String> attrs = DispatcherList.parseAttributes(dest.path("ATTRS").path("BODY").asText(null));
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

  private static long parseEpoch(String text) {
    try {
      return text == null ? 0 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void apply(long epoch, String planId, TrafficTarget target) throws ActuationException {
    String tag = "[region=" + activeRegion(target) + " epoch=" + epoch + " plan=" + planId + "]";
    if (planId == null || !DispatcherList.PLAN_ID.matcher(planId).matches()) {
      throw new ActuationException(Failure.PERMANENT, NAME, "plan id '" + planId + "' must match " + DispatcherList.PLAN_ID);
    }
    guard.check(epoch);
    DispatcherList.Header recorded = DispatcherList.header(readListFile());
    if (recorded.epoch() > epoch) {
      log.info("{} {} fenced: {} was written by epoch {} (plan {})", tag, NAME, config.listFile(), recorded.epoch(), recorded.planId());
      throw new FencedException(NAME, epoch, recorded.epoch());
    }
    DispatcherList list;
    try {
      list = list(epoch, planId, target);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ActuationException(Failure.PERMANENT, NAME, e.getMessage(), e);
    }

    guard.check(epoch);
    writeAtomically(list.render(config.setId()));

    guard.check(epoch);
    rpc.call("dispatcher.reload");

    // The htable is memory only: writing it on each apply also repairs a Kamailio restart.
    guard.check(epoch);
    for (Map.Entry<String, Integer> set : list.numberSets(config.setId()).entrySet()) {
      rpc.call("htable.seti", HTABLE, "did:" + set.getKey(), set.getValue());
    }
    rpc.call("htable.seti", HTABLE, "outbound_blocked", list.outage() ? 1 : 0);

    verify(epoch, target);
    log.info("{} {} set {} routes {}", tag, NAME, config.setId(), target.describe());
  }

  // Numbers with their own outage chain keep a set of their own in routed mode too (holding the
  // regions), so their htable entries never point at a missing set.
  private DispatcherList list(long epoch, String planId, TrafficTarget target) {
    TreeMap<String, List<Destination>> perNumber = new TreeMap<>();
    return switch (target) {
      case TrafficTarget.Routed routed -> {
        List<Destination> regions = routed.regions().stream().map(this::regionDestination).toList();
        config.fallback().perNumber().keySet().forEach(number -> perNumber.put(number, regions));
        yield new DispatcherList(epoch, planId, false, regions, perNumber);
      }
      case TrafficTarget.Outage outage -> {
        config.fallback().perNumber().forEach((number, chain) -> perNumber.put(number, fallback(chain)));
        yield new DispatcherList(epoch, planId, true, fallback(config.fallback().destinations()), perNumber);
      }
    };
  }

  private List<Destination> fallback(List<FallbackDestination> chain) {
    return DispatcherList.fallbackDestinations(chain.stream().map(d -> d.sipUri(config.pstnGateway())).toList());
  }

  private Destination regionDestination(RegionEdge edge) {
    if (edge.sipUri() == null) {
      throw new IllegalArgumentException("region " + edge.regionId() + " has no SIP URI to route calls to");
    }
    return new Destination(edge.regionId(), edge.sipUri().toString());
  }

  private static String activeRegion(TrafficTarget target) {
    return target instanceof TrafficTarget.Routed r ? r.active().regionId() : "none";
  }

  private String readListFile() throws ActuationException {
    try {
      return Files.exists(config.listFile()) ? Files.readString(config.listFile(), StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new ActuationException(Failure.TRANSIENT, NAME, "could not read " + config.listFile() + ": " + e, e);
    }
  }

  // Temp file in the same directory, then rename: Kamailio never reads a half-written list.
  private void writeAtomically(String text) throws ActuationException {
    Path file = config.listFile();
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.writeString(temp, text, StandardCharsets.UTF_8);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new ActuationException(Failure.PERMANENT, NAME, "cannot rename atomically into " + file + ": " + e, e);
      }
    } catch (IOException e) {
      throw new ActuationException(Failure.PERMANENT, NAME, "could not write " + file + ": " + e, e);
    }
  }

  @Override
  public void close() {
    rpc.close();
  }
}
