package dev.dialtone.actuation;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A region's public edge: the addresses DNS hands out and the SIP URI carriers send calls to.
 *
 * @param regionId the region's id, e.g. {@code us-east}
 * @param ipv4 IPv4 addresses for A records (may be empty when {@code ipv6} or {@code cname} is set)
 * @param ipv6 IPv6 addresses for AAAA records
 * @param sipUri where carriers send calls, e.g. {@code sip:edge.us-east.example.com:5060}
 * @param cname a canonical name for CNAME records, or {@code null}
 */
public record RegionEdge(String regionId, List<String> ipv4, List<String> ipv6, URI sipUri, String cname) {
  public RegionEdge {
    Objects.requireNonNull(regionId, "regionId");
    ipv4 = List.copyOf(ipv4);
    ipv6 = List.copyOf(ipv6);
    if (ipv4.isEmpty() && ipv6.isEmpty() && cname == null && sipUri == null) {
      throw new IllegalArgumentException("region " + regionId + ": edge has no address, cname or SIP URI");
    }
  }
}
