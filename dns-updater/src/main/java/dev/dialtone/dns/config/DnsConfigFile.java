package dev.dialtone.dns.config;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.dialtone.actuation.RegionConfig;
import dev.dialtone.actuation.RegionEdge;
import dev.dialtone.config.ConfigLoader;
import dev.dialtone.config.constraint.Identifier;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What the DNS break-glass commands read from a control-plane replica's own YAML file: its
 * {@code deployment}, {@code zookeeper.connect}, {@code regions} and {@code dns} sections, checked
 * by the same loader and rules as the replica (other sections are the replica's business).
 */
public final class DnsConfigFile {
  private DnsConfigFile() {}

  /** The sections break-glass uses; the rest of the replica's file is left to the replica's loader. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record View(
      @NotNull @Identifier String deployment,
      Coordination zookeeper,
      @NotEmpty(message = "at least one region is required") List<@NotNull @Valid RegionConfig> regions,
      @NotNull(message = "is required: this file configures no DNS") @Valid DnsSection dns) {
    public View {
      regions = regions == null ? List.of() : List.copyOf(regions);
    }
  }

  /** The ensemble's connect string, for the fenced break-glass apply. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Coordination(String connect) {}

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

  /**
   * Loads and validates {@code file}.
   *
   * @throws dev.dialtone.config.ConfigException naming file, line and field of every problem
   */
  public static Loaded load(Path file) {
    return from(ConfigLoader.of(View.class, System.getenv()).load(file));
  }

  /** Parses YAML {@code text} named {@code file} in problems. */
  public static Loaded parse(String file, String text, Map<String, String> environment) {
    return from(ConfigLoader.of(View.class, environment).parse(file, text));
  }

  private static Loaded from(View v) {
    List<RegionEdge> ordered = v.regions().stream()
        .sorted(Comparator.comparing(RegionConfig::priority))
        .map(RegionConfig::toEdge).toList();
    return new Loaded(v.dns().toConfig(v.deployment()), ordered, v.zookeeper() == null ? null : v.zookeeper().connect());
  }
}
