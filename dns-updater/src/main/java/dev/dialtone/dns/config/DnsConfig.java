package dev.dialtone.dns.config;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.dns.ownership.OwnerRecord;
import dev.dialtone.dns.record.DesiredRecords;
import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordKey;
import dev.dialtone.dns.record.RecordType;
import dev.dialtone.config.Backoff;
import dev.dialtone.config.Durations;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dns-updater's configuration: one validated record, errors naming the field.
 *
 * @param deployment this deployment's id, written into every ownership record
 * @param provider which provider and how to reach it
 * @param zone the zone every managed name lives in, absolute
 * @param records the managed RRsets
 * @param fallback outage-mode targets in order; empty if outage mode never changes DNS
 * @param ownerTtl the ownership records' TTL (default 30 s)
 * @param retryBudget how long one apply may keep retrying transient failures (default 10 s)
 * @param backoff the retry backoff (default 50 ms doubling to 2 s, full jitter)
 */
public record DnsConfig(
    String deployment,
    ProviderSettings provider,
    String zone,
    List<ManagedRecord> records,
    List<RegionEdge> fallback,
    Duration ownerTtl,
    Duration retryBudget,
    Backoff backoff) {
  public static final Duration DEFAULT_OWNER_TTL = ManagedRecord.DEFAULT_TTL;
  public static final Duration DEFAULT_RETRY_BUDGET = Duration.ofSeconds(10);
  public static final Backoff DEFAULT_BACKOFF = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));

  public DnsConfig {
    try {
      new OwnerRecord(deployment, 0);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("deployment: " + e.getMessage(), e);
    }
    if (provider == null) {
      throw new IllegalArgumentException("dns.provider: required (rfc2136, route53 or inmemory)");
    }
    if (zone == null) {
      throw new IllegalArgumentException("dns.provider." + provider.name() + ".zone: required");
    }
    try {
      zone = RecordKey.absolute(zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("dns.provider." + provider.name() + ".zone: " + e.getMessage(), e);
    }
    records = records == null ? List.of() : List.copyOf(records);
    fallback = fallback == null ? List.of() : List.copyOf(fallback);
    ownerTtl = ownerTtl == null ? DEFAULT_OWNER_TTL : ownerTtl;
    retryBudget = retryBudget == null ? DEFAULT_RETRY_BUDGET : retryBudget;
    backoff = backoff == null ? DEFAULT_BACKOFF : backoff;
    Settings.positive("dns.ownerTtl", ownerTtl);
    Settings.positive("dns.retry.budget", retryBudget);
    if (provider instanceof ProviderSettings.Route53 r && r.syncTimeout() != null && r.syncTimeout().compareTo(retryBudget) > 0) {
      // One apply's wait nests inside the actuator's retry budget, which nests inside the plan's attempt.
      throw new IllegalArgumentException("dns.provider.route53.syncTimeout: must fit inside dns.retry.budget ("
          + Durations.format(retryBudget) + "), was " + Durations.format(r.syncTimeout()) + "; or leave it unset to use the budget");
    }
    validateRecords(zone, records);
    if (!fallback.isEmpty()) {
      try {
        new DesiredRecords(records, fallback).compute(new TrafficTarget.Outage());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dns.fallback: " + e.getMessage(), e);
      }
    }
  }

  private static void validateRecords(String zone, List<ManagedRecord> records) {
    if (records.isEmpty()) {
      throw new IllegalArgumentException("dns.records: at least one record is required");
    }
    Set<RecordKey> seen = new HashSet<>();
    for (int i = 0; i < records.size(); i++) {
      ManagedRecord r = records.get(i);
      if (!r.name().equals(zone) && !r.name().endsWith("." + zone)) {
        throw new IllegalArgumentException("dns.records[" + i + "].name: " + r.name() + " is outside zone " + zone);
      }
      if (!seen.add(r.key())) {
        throw new IllegalArgumentException("dns.records[" + i + "]: " + r.key() + " is listed twice");
      }
    }
    Map<String, Set<RecordType>> byName =
        records.stream().collect(Collectors.groupingBy(ManagedRecord::name, Collectors.mapping(ManagedRecord::type, Collectors.toSet())));
    byName.forEach(
        (name, types) -> {
          if (types.contains(RecordType.CNAME) && types.size() > 1) {
            throw new IllegalArgumentException(
                "dns.records: " + name + " has CNAME and " + types + ": a CNAME name may hold nothing else");
          }
        });
  }

  /** The pure function from placement to records for this configuration. */
  public DesiredRecords desiredRecords() {
    return new DesiredRecords(records, fallback);
  }
}
