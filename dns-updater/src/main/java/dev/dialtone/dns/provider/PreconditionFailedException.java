package dev.dialtone.dns.provider;

import dev.dialtone.actuation.ActuationException;

/**
 * The server refused a change set because an ownership record no longer holds the value we
 * read: someone wrote in between. The caller re-reads to tell fencing from a race to retry.
 */
public final class PreconditionFailedException extends ActuationException {
  private static final long serialVersionUID = 1L;

  public PreconditionFailedException(String actuator, String message) {
    super(Failure.TRANSIENT, actuator, message);
  }
}
