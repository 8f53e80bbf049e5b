package dev.dialtone.dns.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordType;
import dev.dialtone.dns.retry.Backoff;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code deployment}, {@code regions} and {@code dns} sections of a deployment's YAML
 * file (see DESIGN.md's configuration sketch); every error names the file and the field.
 */
public final class DnsConfigFile {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

  private DnsConfigFile() {}

  /**
   * What the file says about DNS, and the regions' edges in priority order (to map records back
   * to regions and for the break-glass {@code apply --region}).
   *
   * @param zookeeperConnect the file's {@code zookeeper.connect}, or {@code null}
   */
  public record Loaded(DnsConfig dns, List<RegionEdge> regions, String zookeeperConnect) {
    public Loaded {
      regions = List.copyOf(regions);
    }

    /** The region with this id. */
    public RegionEdge region(String id) {
      return regions.stream()
          .filter(r -> r.regionId().equals(id))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              "no region '" + id + "' in the configuration; known: " + regions.stream().map(RegionEdge::regionId).toList()));
    }
  }

  /** Loads and validates {@code file}. */
  public static Loaded load(Path file) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    try {
      return parse(root == null ? new ObjectMapper().createObjectNode() : root);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /** Parses an already-read YAML/JSON tree. */
  public static Loaded parse(JsonNode root) {
    List<JsonNode> regionNodes = new ArrayList<>();
    root.path("regions").elements().forEachRemaining(regionNodes::add);
    List<RegionEdge> regions = new ArrayList<>();
    for (int i = 0; i < regionNodes.size(); i++) {
      JsonNode r = regionNodes.get(i);
      regions.add(edge("regions[" + i + "]", text(r, "id", "regions[" + i + "].id", true), r.path("edge")));
    }
    // Priority order (1 first), so "apply --region R" puts the others behind R in that order.
    List<Integer> priorities = regionNodes.stream().map(r -> r.path("priority").asInt(Integer.MAX_VALUE)).toList();
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, regions.size()).boxed().toList());
    order.sort(java.util.Comparator.comparing(priorities::get));
    regions = order.stream().map(regions::get).toList();
    JsonNode dns = root.path("dns");
    if (dns.isMissingNode()) {
      throw new IllegalArgumentException("dns: section missing");
    }
    JsonNode providerNode = dns.path("provider");
    if (providerNode.size() != 1) {
      throw new IllegalArgumentException("dns.provider: exactly one of rfc2136, route53, inmemory is required");
    }
    String providerName = providerNode.fieldNames().next();
    JsonNode p = providerNode.get(providerName);
    String at = "dns.provider." + providerName;
    ProviderSettings provider =
        switch (providerName) {
          case "rfc2136" -> new ProviderSettings.Rfc2136(
              text(p, "server", at + ".server", true),
              Path.of(text(p, "tsigKeyFile", at + ".tsigKeyFile", true)),
              duration(p, "timeout", at + ".timeout"));
          case "route53" -> {
            String endpoint = text(p, "endpoint", at + ".endpoint", false);
            yield new ProviderSettings.Route53(
                text(p, "hostedZoneId", at + ".hostedZoneId", true),
                endpoint == null ? null : URI.create(endpoint),
                duration(p, "syncTimeout", at + ".syncTimeout"),
                duration(p, "pollInterval", at + ".pollInterval"));
          }
          case "inmemory" -> new ProviderSettings.InMemory();
          default -> throw new IllegalArgumentException(
              "dns.provider: unknown provider '" + providerName + "' (rfc2136, route53, inmemory)");
        };
    List<ManagedRecord> records = new ArrayList<>();
    JsonNode recordsNode = dns.path("records");
    for (int i = 0; i < recordsNode.size(); i++) {
      String f = "dns.records[" + i + "]";
      JsonNode r = recordsNode.get(i);
      String type = text(r, "type", f + ".type", true);
      try {
        records.add(new ManagedRecord(
            text(r, "name", f + ".name", true),
            RecordType.valueOf(type.toUpperCase(Locale.ROOT)),
            duration(r, "ttl", f + ".ttl")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
      }
    }
    List<RegionEdge> fallback = new ArrayList<>();
    JsonNode fallbackNode = dns.path("fallback");
    for (int i = 0; i < fallbackNode.size(); i++) {
      JsonNode fb = fallbackNode.get(i);
      String id = fb.hasNonNull("id") ? fb.get("id").asText() : "fallback-" + (i + 1);
      fallback.add(edge("dns.fallback[" + i + "]", id, fb));
    }
    JsonNode retry = dns.path("retry");
    Duration initial = duration(retry, "initialBackoff", "dns.retry.initialBackoff");
    Duration max = duration(retry, "maxBackoff", "dns.retry.maxBackoff");
    Backoff backoff = null;
    if (initial != null || max != null) {
      try {
        backoff = new Backoff(
            initial == null ? DnsConfig.DEFAULT_BACKOFF.initial() : initial,
            max == null ? DnsConfig.DEFAULT_BACKOFF.max() : max);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dns.retry: " + e.getMessage(), e);
      }
    }
    DnsConfig config =
        new DnsConfig(
            text(root, "deployment", "deployment", true),
            provider,
            text(p, "zone", at + ".zone", true),
            records,
            fallback,
            duration(dns, "ownerTtl", "dns.ownerTtl"),
            duration(retry, "budget", "dns.retry.budget"),
            backoff);
    return new Loaded(config, regions, text(root.path("zookeeper"), "connect", "zookeeper.connect", false));
  }

  private static RegionEdge edge(String field, String id, JsonNode edge) {
    try {
      String sip = text(edge, "sip", field + ".sip", false);
      return new RegionEdge(
          id, strings(edge.path("a")), strings(edge.path("aaaa")), sip == null ? null : URI.create(sip),
          text(edge, "cname", field + ".cname", false));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  private static List<String> strings(JsonNode node) {
    List<String> out = new ArrayList<>();
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      out.add(it.next().asText());
    }
    return out;
  }

  private static String text(JsonNode node, String key, String field, boolean required) {
    JsonNode v = node.path(key);
    if (v.isMissingNode() || v.isNull() || v.asText().isBlank()) {
      if (required) {
        throw new IllegalArgumentException(field + ": required");
      }
      return null;
    }
    return v.asText();
  }

  /** {@code 30} (seconds), {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or ISO-8601 {@code PT30S}. */
  static Duration duration(JsonNode node, String key, String field) {
    String text = text(node, key, field, false);
    if (text == null) {
      return null;
    }
    String t = text.strip();
    if (t.startsWith("P") || t.startsWith("p")) {
      try {
        return Duration.parse(t);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(field + ": not a duration: '" + text + "'", e);
      }
    }
    Matcher m = DURATION.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(field + ": not a duration (e.g. 30s, 500ms, 2m): '" + text + "'");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofSeconds(n);
    };
  }
}
