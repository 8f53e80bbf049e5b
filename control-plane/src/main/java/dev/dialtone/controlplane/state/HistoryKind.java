package dev.dialtone.controlplane.state;

/** What a history entry records (mirrors {@code dialtone.v1.HistoryKind}). */
public enum HistoryKind {
  DECISION,
  PLAN_STEP,
  MANUAL_ACTION,
  LEADERSHIP,
  DRILL,
  REGION,
  NOTIFICATION
}
