package dev.dialtone.actuation;

/**
 * An actuator could not do what it was asked, classified where it arose so the caller knows
 * whether to retry ({@link Failure#TRANSIENT}), stop and alert ({@link Failure#PERMANENT}), or stop
 * silently because a newer leader owns the target ({@link Failure#FENCED}).
 */
public class ActuationException extends Exception {
  private static final long serialVersionUID = 1L;

  /** How a failure should be handled. */
  public enum Failure {
    /** Worth retrying with backoff inside the step's budget (timeouts, throttling, refused connections). */
    TRANSIENT,
    /** Retrying will not help (bad credentials, a zone we do not own, a malformed request): alert. */
    PERMANENT,
    /** The target is owned by a newer epoch: never retry, report as fencing, not as an error. */
    FENCED
  }

  private final Failure failure;
  private final String actuator;

  public ActuationException(Failure failure, String actuator, String message) {
    this(failure, actuator, message, null);
  }

  public ActuationException(Failure failure, String actuator, String message, Throwable cause) {
    super(actuator + ": " + message, cause);
    this.failure = failure;
    this.actuator = actuator;
  }

  public Failure failure() {
    return failure;
  }

  /** The actuator's name, e.g. {@code dns/rfc2136}. */
  public String actuator() {
    return actuator;
  }

  public boolean isRetryable() {
    return failure == Failure.TRANSIENT;
  }
}
