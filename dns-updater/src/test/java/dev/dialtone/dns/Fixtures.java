package dev.dialtone.dns;

import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.actuation.TrafficTarget;
import dev.dialtone.dns.config.DnsConfig;
import dev.dialtone.dns.config.ProviderSettings;
import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordType;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Regions and configurations shared by the dns-updater's tests. */
public final class Fixtures {
  private Fixtures() {}

  public static final RegionEdge EAST =
      new RegionEdge("us-east", List.of("203.0.113.10"), List.of("2001:db8::10"), URI.create("sip:edge.us-east.example.net:5060"), null);
  public static final RegionEdge WEST =
      new RegionEdge("us-west", List.of("198.51.100.20"), List.of(), URI.create("sip:edge.us-west.example.net:5070"), null);
  public static final RegionEdge EU =
      new RegionEdge("eu-west", List.of("192.0.2.30", "192.0.2.31"), List.of("2001:db8::30"), URI.create("sips:edge.eu-west.example.net"), null);
  public static final RegionEdge MAINTENANCE =
      new RegionEdge("maintenance", List.of("192.0.2.250"), List.of(), URI.create("sip:vm@pbx.example.net"), null);
  public static final List<RegionEdge> REGIONS = List.of(EAST, WEST, EU);

  public static TrafficTarget.Routed routed(RegionEdge... regions) {
    return new TrafficTarget.Routed(List.of(regions));
  }

  /** A, AAAA and SRV for {@code voice.<domain>}, TTL 30 s. */
  public static List<ManagedRecord> voiceRecords(String domain) {
    return List.of(
        new ManagedRecord("voice." + domain, RecordType.A, null),
        new ManagedRecord("voice." + domain, RecordType.AAAA, null),
        new ManagedRecord("_sip._udp.voice." + domain, RecordType.SRV, Duration.ofSeconds(30)));
  }

  /**
   * A config for {@code zone} managing the voice records under {@code domain} (the zone or a name
   * in it), with the maintenance fallback and a 5 s retry budget.
   */
  public static DnsConfig config(String deployment, ProviderSettings provider, String zone, String domain) {
    return new DnsConfig(
        deployment, provider, zone, voiceRecords(domain), List.of(MAINTENANCE), null, Duration.ofSeconds(5), null);
  }
}
