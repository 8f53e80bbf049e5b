package dev.dialtone.dns.config;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.config.Backoff;
import dev.dialtone.config.Durations;
import dev.dialtone.config.constraint.Checked;
import dev.dialtone.config.constraint.Formats;
import dev.dialtone.config.constraint.HostPort;
import dev.dialtone.config.constraint.HttpUrl;
import dev.dialtone.config.constraint.Ipv4;
import dev.dialtone.config.constraint.Ipv6;
import dev.dialtone.config.constraint.PositiveDuration;
import dev.dialtone.config.constraint.ReadableFile;
import dev.dialtone.config.constraint.Rules;
import dev.dialtone.dns.provider.rfc2136.TsigKey;
import dev.dialtone.dns.record.ManagedRecord;
import dev.dialtone.dns.record.RecordType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code dns:} section of a replica's YAML (and of the break-glass CLI, which reads the same
 * file): the provider, the managed records, outage-mode targets, ownership TTL and retries.
 */
public record DnsSection(
    @NotNull(message = "is required: exactly one of rfc2136, route53, inmemory") @Valid Provider provider,
    @NotEmpty(message = "at least one record is required") List<@NotNull @Valid Record> records,
    List<@NotNull @Valid FallbackTarget> fallback,
    @PositiveDuration Duration ownerTtl,
    @Valid Retry retry) implements Checked {

  public DnsSection {
    records = records == null ? List.of() : List.copyOf(records);
    fallback = fallback == null ? List.of() : List.copyOf(fallback);
    retry = retry == null ? new Retry(null, null, null) : retry;
  }

  /** Which provider, and how to reach it; secrets only as files (TSIG) or the AWS credential chain. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.WRAPPER_OBJECT)
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Rfc2136.class, name = "rfc2136"),
    @JsonSubTypes.Type(value = Route53.class, name = "route53"),
    @JsonSubTypes.Type(value = InMemory.class, name = "inmemory")
  })
  public sealed interface Provider {
    /** The zone every managed name lives in. */
    String zone();

    /** The domain settings. */
    ProviderSettings settings();
  }

  /** RFC 2136 dynamic updates signed with TSIG (BIND, Knot, PowerDNS). */
  public record Rfc2136(
      @NotNull(message = "is required: host:port of the primary") @HostPort String server,
      @NotNull String zone,
      @NotNull(message = "is required: a BIND key file (tsig-keygen output)") @ReadableFile String tsigKeyFile,
      @PositiveDuration Duration timeout) implements Provider, Checked {
    @Override
    public ProviderSettings settings() {
      return new ProviderSettings.Rfc2136(server, Path.of(tsigKeyFile), timeout);
    }

    @Override
    public void check(Rules rules) {
      if (tsigKeyFile == null || !java.nio.file.Files.isReadable(Path.of(tsigKeyFile))) {
        return;
      }
      try {
        TsigKey.read(Path.of(tsigKeyFile));
      } catch (IOException | IllegalArgumentException e) {
        rules.fail("tsigKeyFile", tsigKeyFile + " is not a TSIG key file (key \"name\" { algorithm ...; secret \"...\"; };): "
            + e.getMessage());
      }
    }
  }

  /**
   * Route 53; credentials from the AWS SDK's default chain, or a named profile. The hosted zone
   * id is what {@code CreateHostedZone} returned, without its {@code /hostedzone/} path: Route 53
   * documents it as up to 32 characters, and not every implementation of the API starts it with
   * {@code Z} (moto's do not).
   */
  public record Route53(
      @NotNull @Pattern(regexp = "[A-Z0-9]{1,32}",
          message = "must be a hosted zone id (up to 32 upper-case letters and digits, like Z0123456789ABC), not a zone name or a /hostedzone/ path")
      String hostedZoneId,
      @NotNull String zone,
      String profile,
      @HttpUrl String endpoint,
      @PositiveDuration Duration syncTimeout,
      @PositiveDuration Duration pollInterval) implements Provider {
    @Override
    public ProviderSettings settings() {
      return new ProviderSettings.Route53(hostedZoneId, endpoint == null ? null : URI.create(endpoint), syncTimeout,
          pollInterval, profile);
    }
  }

  /** A zone in memory: nothing outside this process sees it (tests, dry runs). */
  public record InMemory(@NotNull String zone) implements Provider {
    @Override
    public ProviderSettings settings() {
      return new ProviderSettings.InMemory();
    }
  }

  /** One managed RRset: its data follows the placement. */
  public record Record(
      @NotNull String name,
      @NotNull(message = "is required: A, AAAA, CNAME or SRV") RecordType type,
      @PositiveDuration Duration ttl) implements Checked {
    @Override
    public void check(Rules rules) {
      rules.require(type != RecordType.TXT, "type", "TXT is reserved for Dialtone's ownership records: use A, AAAA, CNAME or SRV");
      rules.require(ttl == null || ttl.toMillis() % 1000 == 0, "ttl",
          "'" + (ttl == null ? "" : Durations.format(ttl)) + "' is refused: a DNS TTL is whole seconds (e.g. 30s)");
    }

    ManagedRecord toRecord() {
      return new ManagedRecord(name, type, ttl);
    }
  }

  /** Where DNS points in outage mode (e.g. an answering service's edge). */
  public record FallbackTarget(
      String id, List<@NotNull @Ipv4 String> a, List<@NotNull @Ipv6 String> aaaa, String cname, String sip) {
    public FallbackTarget {
      a = a == null ? List.of() : List.copyOf(a);
      aaaa = aaaa == null ? List.of() : List.copyOf(aaaa);
    }
  }

  /**
   * How long one apply may keep retrying transient failures, and the backoff between attempts;
   * {@code budget} stays {@code null} when unset, so an embedder with its own attempt timeout
   * can derive it ({@link #toConfig(String, Duration)}).
   */
  public record Retry(@PositiveDuration Duration budget, @PositiveDuration Duration initialBackoff,
      @PositiveDuration Duration maxBackoff) implements Checked {
    public Retry {
      initialBackoff = initialBackoff == null ? DnsConfig.DEFAULT_BACKOFF.initial() : initialBackoff;
      maxBackoff = maxBackoff == null ? DnsConfig.DEFAULT_BACKOFF.max() : maxBackoff;
    }

    @Override
    public void check(Rules rules) {
      rules.require(initialBackoff.compareTo(maxBackoff) <= 0, "initialBackoff",
          "must not exceed maxBackoff (" + Durations.format(maxBackoff) + "), was " + Durations.format(initialBackoff));
    }
  }

  @Override
  public void check(Rules rules) {
    if (provider instanceof Route53 r53 && r53.syncTimeout() != null && retry.budget() != null) {
      // One apply's wait nests inside the actuator's retry budget (a derived budget is checked by its owner).
      rules.require(r53.syncTimeout().compareTo(retry.budget()) <= 0, "provider.route53.syncTimeout",
          "must fit inside dns.retry.budget (" + Durations.format(retry.budget()) + "), was "
              + Durations.format(r53.syncTimeout()) + "; or leave it unset to use the budget");
    }
    if (provider == null || provider.zone() == null || records.stream().anyMatch(r -> r == null || r.name() == null
        || r.type() == null || r.type() == RecordType.TXT)
        || retry.initialBackoff().compareTo(retry.maxBackoff()) > 0
        || fallback.stream().anyMatch(f -> f == null || !f.a().stream().allMatch(Formats::isIpv4)
            || !f.aaaa().stream().allMatch(Formats::isIpv6))) {
      return; // field constraints report these; the whole-section rules need them in place
    }
    try {
      // The provider's own fields are checked by their constraints; here only records and fallback.
      domain("check", new ProviderSettings.InMemory());
    } catch (IllegalArgumentException e) {
      // The domain record names its field as "dns.<field>: <problem>".
      String m = String.valueOf(e.getMessage()).replaceFirst("^dns\\.", "");
      int colon = m.indexOf(": ");
      String field = colon > 0 && !m.substring(0, colon).contains(" ") ? m.substring(0, colon) : "";
      rules.fail(field.replaceFirst("^provider\\.[a-z0-9]+\\.zone$", "provider"), field.isEmpty() ? m : m.substring(colon + 2));
    }
  }

  /** The domain configuration the providers and the actuator use, for {@code deployment}. */
  public DnsConfig toConfig(String deployment) {
    return toConfig(deployment, DnsConfig.DEFAULT_RETRY_BUDGET);
  }

  /** As {@link #toConfig(String)}, with {@code budgetIfUnset} when {@code retry.budget} is not set. */
  public DnsConfig toConfig(String deployment, Duration budgetIfUnset) {
    return domain(deployment, provider.settings(), retry.budget() == null ? budgetIfUnset : retry.budget());
  }

  private DnsConfig domain(String deployment, ProviderSettings settings) {
    return domain(deployment, settings, retry.budget());
  }

  private DnsConfig domain(String deployment, ProviderSettings settings, Duration budget) {
    List<ManagedRecord> managed = records.stream().map(Record::toRecord).toList();
    List<RegionEdge> targets = new ArrayList<>();
    for (int i = 0; i < fallback.size(); i++) {
      FallbackTarget f = fallback.get(i);
      String id = f.id() == null ? "fallback-" + (i + 1) : f.id();
      try {
        targets.add(new RegionEdge(id, f.a(), f.aaaa(), f.sip() == null ? null : URI.create(f.sip()), f.cname()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("dns.fallback[" + i + "]: " + e.getMessage(), e);
      }
    }
    return new DnsConfig(deployment, settings, provider.zone(), managed, targets, ownerTtl, budget,
        new Backoff(retry.initialBackoff(), retry.maxBackoff()));
  }
}
