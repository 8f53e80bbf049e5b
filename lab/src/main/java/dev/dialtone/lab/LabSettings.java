package dev.dialtone.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one lab looks like: where it keeps its files, which regions (the first is preferred and
 * starts active), how hard agents probe, how many calls a second SIPp places through Kamailio, and
 * the few policy knobs a game day cares about.
 *
 * @param workDir every peer's data, configs, logs and the drill reports
 * @param regions region ids, two or three, in priority order
 * @param profile the agents' probe profile
 * @param callsPerSecond the lab's call trickle
 * @param mutualTls mTLS between agents, replicas and the CLI, with a throwaway CA (plaintext only when false)
 * @param automaticFailback whether traffic returns to the preferred region by itself once it is healthy
 * @param holdDown the least time after any shift before an automatic one
 * @param extraDrills drill files to add to the bundled ones, by file name
 * @param spareRegion a region whose peers and agent run but which no replica's file names, for a
 *     pipeline to register (as a Terraform run would); empty for none
 * @param maxRun the longest the lab runs: its call trickle stops by itself after this
 */
public record LabSettings(
    Path workDir, List<String> regions, ProbeProfile profile, int callsPerSecond, boolean mutualTls,
    boolean automaticFailback, Duration holdDown, Map<String, String> extraDrills, String spareRegion, Duration maxRun) {
  public static final List<String> DEFAULT_REGIONS = List.of("us-east", "us-west", "eu-west");
  public static final String DEPLOYMENT = "lab";

  public LabSettings {
    if (workDir == null) {
      throw new IllegalArgumentException("lab: a work directory is required");
    }
    regions = List.copyOf(regions);
    if (regions.size() < 2 || regions.size() > 3) {
      throw new IllegalArgumentException("lab: 2 or 3 regions, not " + regions.size());
    }
    spareRegion = spareRegion == null ? "" : spareRegion;
    List<String> all = new java.util.ArrayList<>(regions);
    if (!spareRegion.isEmpty()) {
      all.add(spareRegion);
    }
    for (String r : all) {
      if (!r.matches("[a-z][a-z0-9-]{0,30}")) {
        throw new IllegalArgumentException("lab: region id '" + r + "' must be lower-case letters, digits and dashes");
      }
    }
    if (all.stream().distinct().count() != all.size()) {
      throw new IllegalArgumentException("lab: region ids must differ: " + all);
    }
    if (callsPerSecond < 1 || callsPerSecond > 100) {
      throw new IllegalArgumentException("lab: calls per second must be 1..100, not " + callsPerSecond);
    }
    extraDrills = Map.copyOf(extraDrills);
    if (maxRun == null || maxRun.isNegative() || maxRun.isZero() || maxRun.compareTo(Duration.ofDays(2)) > 0) {
      throw new IllegalArgumentException("lab: the longest run must be more than 0 and at most 2 days, not " + maxRun);
    }
  }

  /** The quick start's lab: mTLS on, automatic failback after 5 s healthy, 5 s hold-down. */
  public LabSettings(Path workDir, List<String> regions, ProbeProfile profile, int callsPerSecond, boolean mutualTls) {
    this(workDir, regions, profile, callsPerSecond, mutualTls, true, Duration.ofSeconds(5), Map.of(), "", Lab.MAX_RUN);
  }

  /** Three regions, the default probe profile, two calls a second, mTLS on. */
  public static LabSettings defaults(Path workDir) {
    return new LabSettings(workDir, DEFAULT_REGIONS, ProbeProfile.DEFAULT, 2, true);
  }

  public LabSettings withPolicy(boolean failback, Duration hold) {
    return new LabSettings(workDir, regions, profile, callsPerSecond, mutualTls, failback, hold, extraDrills, spareRegion,
        maxRun);
  }

  public LabSettings withDrills(Map<String, String> drills) {
    return new LabSettings(workDir, regions, profile, callsPerSecond, mutualTls, automaticFailback, holdDown, drills,
        spareRegion, maxRun);
  }

  /** With a spare region ({@code id}) for a pipeline to register; its agent runs from the start. */
  public LabSettings withSpareRegion(String id) {
    return new LabSettings(workDir, regions, profile, callsPerSecond, mutualTls, automaticFailback, holdDown, extraDrills,
        id, maxRun);
  }

  /** Running (and placing calls) for up to {@code longest}, e.g. a long campaign. */
  public LabSettings withMaxRun(Duration longest) {
    return new LabSettings(workDir, regions, profile, callsPerSecond, mutualTls, automaticFailback, holdDown, extraDrills,
        spareRegion, longest);
  }
}
