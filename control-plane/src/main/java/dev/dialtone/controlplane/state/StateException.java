package dev.dialtone.controlplane.state;

/** A state read or write in ZooKeeper did not happen; the subclass says why. */
public class StateException extends Exception {
  private static final long serialVersionUID = 1L;

  public StateException(String message, Throwable cause) {
    super(message, cause);
  }

  /** ZooKeeper could not be reached or answered with an error: nothing moves (static stability). */
  public static final class Unavailable extends StateException {
    private static final long serialVersionUID = 1L;

    public Unavailable(String what, Throwable cause) {
      super("ZooKeeper unavailable while " + what + ": " + cause, cause);
    }
  }

  /** A compare-and-set lost: the znode changed since it was read. */
  public static final class Conflict extends StateException {
    private static final long serialVersionUID = 1L;

    public Conflict(String what) {
      super(what + " changed since it was read", null);
    }
  }
}
