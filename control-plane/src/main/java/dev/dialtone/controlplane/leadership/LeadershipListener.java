package dev.dialtone.controlplane.leadership;

/**
 * Told when this replica gains leadership at a new epoch and when it must stop acting. Both are
 * called from the leadership thread; {@link #onLost()} must stop every side effect at once.
 */
public interface LeadershipListener {
  void onGained(long epoch);

  void onLost();
}
