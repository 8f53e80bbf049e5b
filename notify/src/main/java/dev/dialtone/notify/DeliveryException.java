package dev.dialtone.notify;

/**
 * A receiver did not take an event, classified where it happened: {@link #transientFailure()}
 * (down, timed out, rate-limited: retry) or permanent (refused the payload or the credentials:
 * retrying cannot help, report it). Messages never carry a secret.
 */
public final class DeliveryException extends Exception {
  private final boolean transientFailure;

  private DeliveryException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  /** Worth retrying. */
  public static DeliveryException retryable(String message, Throwable cause) {
    return new DeliveryException(message, true, cause);
  }

  /** Not worth retrying. */
  public static DeliveryException permanent(String message, Throwable cause) {
    return new DeliveryException(message, false, cause);
  }

  public boolean transientFailure() {
    return transientFailure;
  }
}
