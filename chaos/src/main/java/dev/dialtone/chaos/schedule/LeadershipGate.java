package dev.dialtone.chaos.schedule;

/** What the scheduler needs of leadership; the control plane adapts its Curator election to it. */
public interface LeadershipGate {
  /** True only while this replica leads and may act. */
  boolean isLeader();

  /** The epoch of the current leadership term (meaningful while {@link #isLeader()}). */
  long epoch();
}
