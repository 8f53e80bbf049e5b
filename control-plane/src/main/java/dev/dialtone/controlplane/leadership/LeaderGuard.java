package dev.dialtone.controlplane.leadership;

/** Answers "am I still the leader at epoch N?" before every side effect. */
@FunctionalInterface
public interface LeaderGuard {
  boolean isLeaderAt(long epoch);
}
