package dev.dialtone.chaos.schedule;

import java.time.Instant;

/** Exactly-once claims on scheduled drill times, shared by every replica. */
public interface DrillClaims {
  /** True for exactly one caller per (drill, scheduled time), whoever asks and whenever. */
  boolean claim(String drill, Instant scheduledTime, long epoch) throws ClaimException;

  /** The claim store could not be reached or answered strangely; the time stays unclaimed. */
  final class ClaimException extends Exception {
    public ClaimException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
