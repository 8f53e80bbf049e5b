package dev.dialtone.controlplane.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An operator's "change nothing": who, why, when, and until when.
 *
 * @param principal who froze, e.g. {@code alice@example.com}
 * @param reason why, for the history
 * @param at when the freeze was set
 * @param until when it lapses by itself, or {@code null} to hold until lifted by hand
 */
public record FreezeSignal(String principal, String reason, Instant at, Instant until) {
  public FreezeSignal {
    if (principal == null || principal.isBlank()) {
      throw new IllegalArgumentException("freeze: principal must not be blank");
    }
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("freeze: reason must not be blank");
    }
    Objects.requireNonNull(at, "freeze: at");
    if (until != null && !until.isAfter(at)) {
      throw new IllegalArgumentException("freeze: until (" + until + ") must be after at (" + at + ")");
    }
  }

  /** Whether the freeze holds at {@code now}. */
  public boolean activeAt(Instant now) {
    return until == null || now.isBefore(until);
  }
}
