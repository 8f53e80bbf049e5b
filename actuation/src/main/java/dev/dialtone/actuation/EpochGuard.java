package dev.dialtone.actuation;

/**
 * Confirms, immediately before a step that has no conditional write of its own, that {@code epoch}
 * is still the current leadership epoch (the control plane implements it with a ZooKeeper read).
 */
@FunctionalInterface
public interface EpochGuard {

  /**
   * @throws FencedException if a newer epoch exists
   * @throws ActuationException ({@link ActuationException.Failure#TRANSIENT}) if the check itself
   *     could not be made, e.g. ZooKeeper is unreachable: nothing may move then
   */
  void check(long epoch) throws ActuationException;

  /** A guard that accepts any epoch, for break-glass use and unit tests only. */
  static EpochGuard none() {
    return epoch -> {};
  }
}
