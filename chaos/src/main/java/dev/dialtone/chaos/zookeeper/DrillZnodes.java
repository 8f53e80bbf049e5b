package dev.dialtone.chaos.zookeeper;

import java.util.regex.Pattern;

/**
 * The chaos module's znodes under {@code /dialtone/<deployment>/drills/} (see the shared ZooKeeper
 * layout), and the deployment's {@code epoch} znode it reads for fencing.
 */
public record DrillZnodes(String deployment) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public DrillZnodes {
    requireName("deployment", deployment);
  }

  /** Refuses a name that cannot be one znode (a slash, a dot-only name, nothing). */
  public static String requireName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " '" + name + "' must match " + NAME.pattern() + " to name a znode");
    }
    return name;
  }

  public String root() {
    return "/dialtone/" + deployment + "/drills";
  }

  /** The current leadership epoch (decimal ASCII), written by the control plane. */
  public String epoch() {
    return "/dialtone/" + deployment + "/epoch";
  }

  public String toxics() {
    return root() + "/toxics";
  }

  public String toxic(String id) {
    return toxics() + "/" + requireName("toxic id", id);
  }

  /** Ephemeral markers of runs whose owner is alive. */
  public String runs() {
    return root() + "/runs";
  }

  public String run(String runId) {
    return runs() + "/" + requireName("run id", runId);
  }

  public String claims(String drill) {
    return root() + "/claims/" + requireName("drill", drill);
  }

  public String claim(String drill, long scheduledEpochMillis) {
    return claims(drill) + "/" + scheduledEpochMillis;
  }

  /** Drill definitions applied through the admin API (or seeded from a directory), by name. */
  public String definitions() {
    return root() + "/definitions";
  }

  public String definition(String drill) {
    return definitions() + "/" + requireName("drill", drill);
  }

  /** Tombstones of deleted drills, so a seed directory does not bring them back. */
  public String deletions() {
    return root() + "/deleted";
  }

  public String deletion(String drill) {
    return deletions() + "/" + requireName("drill", drill);
  }

  /** Runs handed over by a leader that faulted itself (a control-plane step), for the next leader to resume. */
  public String handovers() {
    return root() + "/handovers";
  }

  public String handover(String runId) {
    return handovers() + "/" + requireName("run id", runId);
  }

  public String reports() {
    return root() + "/reports";
  }

  public String report(String runId) {
    return reports() + "/" + requireName("run id", runId);
  }
}
