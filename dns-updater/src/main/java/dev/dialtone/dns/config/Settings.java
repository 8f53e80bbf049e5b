package dev.dialtone.dns.config;

import java.time.Duration;

/** Shared checks for configuration fields; messages name the field. */
final class Settings {
  private Settings() {}

  static void positive(String field, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": must be a positive duration, got " + value);
    }
  }
}
