package dev.dialtone.chaos.drill;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a replica can drill: the regions it knows and the dependency names its fault levers
 * reach ({@code <region>-<dependency>} paths); a drill naming anything else is refused at load.
 */
public record DrillScope(Set<String> regions, Set<String> dependencies) {
  /** The dependency names the lab and the default agent files use. */
  public static final List<String> DEFAULT_DEPENDENCIES = List.of("llm", "db", "cache", "carrier");

  public DrillScope {
    regions = Set.copyOf(new TreeSet<>(regions));
    dependencies = Set.copyOf(new TreeSet<>(dependencies));
  }

  /** Anything goes: for reading a drill with no replica to check it against. */
  public static DrillScope any() {
    return new DrillScope(Set.of(), Set.of());
  }

  boolean checksRegions() {
    return !regions.isEmpty();
  }

  boolean checksDependencies() {
    return !dependencies.isEmpty();
  }
}
