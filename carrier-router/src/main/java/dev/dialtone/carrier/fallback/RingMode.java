package dev.dialtone.carrier.fallback;

/** How an outage-mode fallback chain is rung. */
public enum RingMode {
  /** One destination after the other, in order: the next when one refuses, is busy or times out. */
  SEQUENTIAL,
  /** Every destination of the chain at once; the first to answer takes the call. */
  PARALLEL
}
