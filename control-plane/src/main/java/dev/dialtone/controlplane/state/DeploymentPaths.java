package dev.dialtone.controlplane.state;

/** The agreed ZooKeeper layout under {@code /dialtone/<deployment>/}. */
public record DeploymentPaths(String deployment) {
  public DeploymentPaths {
    if (deployment == null || !deployment.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("deployment must be lower-case letters, digits and dashes: " + deployment);
    }
  }

  public String root() {
    return "/dialtone/" + deployment;
  }

  /** The leadership epoch, decimal ASCII; each term increments it by compare-and-set. */
  public String epoch() {
    return root() + "/epoch";
  }

  /** Curator's leader election path. */
  public String leader() {
    return root() + "/leader";
  }

  public String placement() {
    return root() + "/placement";
  }

  /** The plan in flight. */
  public String plan() {
    return root() + "/plan";
  }

  public String history() {
    return root() + "/history";
  }

  public String regions() {
    return root() + "/regions";
  }

  public String region(String id) {
    return regions() + "/" + id;
  }

  /** Operator freeze signal (absent when not frozen). */
  public String freeze() {
    return root() + "/freeze";
  }

  /** A recommend-only replica's latest recommendation (never applied). */
  public String recommendation() {
    return root() + "/recommendation";
  }

  /** The leader's notifications: what was raised, and the outbox of events not yet delivered. */
  public String notifications() {
    return root() + "/notify";
  }

  /** When a region's agent silence was last told (so a new leader does not tell it again). */
  public String silence(String region) {
    return root() + "/silences/" + region;
  }

  /** Operator mode override (absent when the configured mode applies). */
  public String mode() {
    return root() + "/mode";
  }
}
