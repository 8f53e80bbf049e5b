package dev.dialtone.controlplane.state;

/** A state write was refused because the epoch znode no longer holds the writer's epoch. */
public final class StaleEpochException extends StateException {
  private static final long serialVersionUID = 1L;

  public StaleEpochException(long epoch, String what) {
    super("epoch " + epoch + " is no longer current: refused to write " + what, null);
  }
}
