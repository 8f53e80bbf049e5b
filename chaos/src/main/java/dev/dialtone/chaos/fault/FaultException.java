package dev.dialtone.chaos.fault;

/** Injecting or healing a fault failed; {@link #failure()} says whether retrying can help. */
public final class FaultException extends Exception {
  /** How a failure should be handled. */
  public enum Failure {
    /** Toxiproxy or ZooKeeper briefly unreachable: retry. */
    TRANSIENT,
    /** A missing proxy, a bad request: stop and alert. */
    PERMANENT,
    /** A newer leader holds the epoch: stop, never retry. */
    FENCED
  }

  private final Failure failure;

  public FaultException(Failure failure, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
  }

  public Failure failure() {
    return failure;
  }
}
