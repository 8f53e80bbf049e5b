package dev.dialtone.chaos.store;

/** Writing the drill set failed: ZooKeeper unreachable, or a newer leader holds the epoch. */
public final class DrillStoreException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean fenced;

  public DrillStoreException(String message, boolean fenced, Throwable cause) {
    super(message, cause);
    this.fenced = fenced;
  }

  /** True if a newer epoch refused the write: never retry it. */
  public boolean fenced() {
    return fenced;
  }
}
