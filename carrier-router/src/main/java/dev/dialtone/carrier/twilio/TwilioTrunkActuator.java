package dev.dialtone.carrier.twilio;

import dev.dialtone.actuation.ActuationException;
import dev.dialtone.actuation.ActuationException.Failure;
import dev.dialtone.actuation.EpochGuard;
import dev.dialtone.actuation.FencedException;
import dev.dialtone.actuation.ObservedRouting;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficActuator;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.carrier.fallback.FallbackPlan;
import dev.dialtone.carrier.fallback.RingMode;
import dev.dialtone.carrier.twilio.TwilioApi.OriginationUrl;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shifts a Twilio Elastic SIP trunk: the origination URLs Dialtone manages (friendly name
 * {@code dialtone:<id>:<epoch>:<plan>}) become the target's regions, active first (priority 10,
 * 20, …, lower is preferred), or the fallback destinations in outage mode; the others are
 * disabled; numbers with their own outage chain leave the trunk for their voice URL in outage mode
 * and rejoin it afterwards. Twilio has no conditional write: the {@link EpochGuard} is checked
 * immediately before each request, and a newer epoch recorded in a friendly name fences the caller.
 */
public final class TwilioTrunkActuator implements TrafficActuator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TwilioTrunkActuator.class);
  private static final String PREFIX = "dialtone:";
  private static final Pattern PLAN_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private final TwilioConfig config;
  private final FallbackPlan fallback;
  private final EpochGuard guard;
  private final TwilioApi api;
  private final String name;

  /**
   * @param fallback outage mode's chain, as origination URLs in order; Elastic SIP Trunking
   *     tries origination URLs one priority after the other, so a {@link RingMode#PARALLEL} chain
   *     is rung sequentially here (logged once)
   */
  public TwilioTrunkActuator(TwilioConfig config, FallbackPlan fallback, EpochGuard guard) {
    this.config = config;
    this.fallback = fallback;
    this.guard = guard;
    this.name = config.actuatorName();
    this.api = new TwilioApi(config, name);
    if (fallback.ring() == RingMode.PARALLEL) {
      log.warn("{}: fallback ring: parallel is not possible with Twilio origination URLs (tried by priority); "
          + "trunk {} rings its fallback chain in order", name, config.trunkSid());
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** A Dialtone-managed origination URL's owner record, parsed from its friendly name. */
  record Owner(String id, long epoch, String planId) {
    String friendlyName() {
      String name = PREFIX + id + ":" + epoch + ":" + planId;
      return name.length() <= 64 ? name : name.substring(0, 64);
    }

    static Optional<Owner> parse(String friendlyName) {
      if (friendlyName == null || !friendlyName.startsWith(PREFIX)) {
        return Optional.empty();
      }
      String[] parts = friendlyName.substring(PREFIX.length()).split(":", 3);
      try {
        return Optional.of(new Owner(parts[0], Long.parseLong(parts[1]), parts.length > 2 ? parts[2] : ""));
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        return Optional.empty();
      }
    }
  }

  @Override
  public ObservedRouting read() throws ActuationException {
    List<OriginationUrl> managed = managed(api.listOriginationUrls());
    long epoch = managed.stream().mapToLong(u -> owner(u).epoch()).max().orElse(0);
    List<OriginationUrl> enabled = managed.stream().filter(OriginationUrl::enabled)
        .sorted(Comparator.comparingInt(OriginationUrl::priority)).toList();
    List<String> ids = enabled.stream().map(u -> owner(u).id()).toList();
    boolean outage = !ids.isEmpty() && ids.stream().allMatch(id -> id.startsWith("fallback-"));
    return new ObservedRouting(outage ? List.of() : ids, outage, epoch,
        "trunk " + config.trunkSid() + ": " + String.join(" > ", ids) + " epoch=" + epoch);
  }

  private static List<OriginationUrl> managed(List<OriginationUrl> all) {
    return all.stream().filter(u -> Owner.parse(u.friendlyName()).isPresent()).toList();
  }

  private static Owner owner(OriginationUrl url) {
    return Owner.parse(url.friendlyName()).orElseThrow();
  }

  @Override
  public void apply(long epoch, String planId, TrafficTarget target) throws ActuationException {
    String tag = "[region=" + (target instanceof TrafficTarget.Routed r ? r.active().regionId() : "none")
        + " epoch=" + epoch + " plan=" + planId + "]";
    if (planId == null || !PLAN_ID.matcher(planId).matches()) {
      throw new ActuationException(Failure.PERMANENT, name, "plan id '" + planId + "' must match " + PLAN_ID);
    }
    guard.check(epoch);
    List<OriginationUrl> managed = managed(api.listOriginationUrls());
    long recorded = managed.stream().mapToLong(u -> owner(u).epoch()).max().orElse(0);
    if (recorded > epoch) {
      log.info("{} {} fenced: trunk {} was written by epoch {}", tag, name, config.trunkSid(), recorded);
      throw new FencedException(name, epoch, recorded);
    }
    Map<String, String> desired = desired(target);
    Map<String, OriginationUrl> byId = new LinkedHashMap<>();
    managed.forEach(u -> byId.put(owner(u).id(), u));

    int priority = 0;
    for (Map.Entry<String, String> d : desired.entrySet()) {
      priority += 10;
      String friendly = new Owner(d.getKey(), epoch, planId).friendlyName();
      OriginationUrl existing = byId.get(d.getKey());
      if (existing != null && existing.equals(new OriginationUrl(existing.sid(), friendly, d.getValue(), priority, config.weight(), true))) {
        continue;
      }
      guard.check(epoch);
      if (existing == null) {
        api.createOriginationUrl(friendly, d.getValue(), priority, config.weight(), true);
      } else {
        api.updateOriginationUrl(existing.sid(), friendly, d.getValue(), priority, config.weight(), true);
      }
    }
    for (OriginationUrl stale : managed) {
      String id = owner(stale).id();
      if (!desired.containsKey(id) && stale.enabled()) {
        guard.check(epoch);
        api.updateOriginationUrl(stale.sid(), new Owner(id, epoch, planId).friendlyName(), stale.sipUrl(), stale.priority(), stale.weight(), false);
      }
    }
    for (TwilioNumber number : config.numbers()) {
      Map<String, String> form = new LinkedHashMap<>();
      if (target instanceof TrafficTarget.Outage) {
        form.put("TrunkSid", "");
        form.put("VoiceUrl", number.outageVoiceUrl());
        if (number.outageFallbackUrl() != null) {
          form.put("VoiceFallbackUrl", number.outageFallbackUrl());
        }
      } else {
        form.put("TrunkSid", config.trunkSid());
      }
      guard.check(epoch);
      api.updateNumber(number.sid(), form);
    }
    verify(epoch, target);
    log.info("{} {} trunk {} routes {}", tag, name, config.trunkSid(), target.describe());
  }

  // id → SIP URL in routing order.
  private Map<String, String> desired(TrafficTarget target) throws ActuationException {
    Map<String, String> desired = new LinkedHashMap<>();
    switch (target) {
      case TrafficTarget.Routed routed -> {
        for (RegionEdge edge : routed.regions()) {
          if (edge.sipUri() == null) {
            throw new ActuationException(Failure.PERMANENT, name, "region " + edge.regionId() + " has no SIP URI to route calls to");
          }
          desired.put(edge.regionId(), edge.sipUri().toString());
        }
      }
      case TrafficTarget.Outage outage -> {
        List<String> uris = new ArrayList<>();
        fallback.destinations().forEach(d -> uris.add(fallback.sipUri(d)));
        for (int i = 0; i < uris.size(); i++) {
          desired.put("fallback-" + (i + 1), uris.get(i));
        }
      }
    }
    return desired;
  }

  @Override
  public void close() {
    api.close();
  }
}
