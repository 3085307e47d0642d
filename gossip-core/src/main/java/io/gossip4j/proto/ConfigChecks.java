package io.gossip4j.proto;

import java.time.Duration;
import java.util.Objects;

/** Validation for the config records: each failure names the field and the allowed range. */
public final class ConfigChecks {
  private ConfigChecks() {}

  /** {@code value} must lie in [min, max]. */
  public static int checkRange(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** {@code value} must lie in [min, max]. */
  public static long checkRange(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          field + " must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  /** {@code value} must be strictly positive and at most a day (longer is surely a typo). */
  public static Duration checkPositive(String field, Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero() || value.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          field + " must be positive and at most 1 day, was " + value);
    }
    return value;
  }
}
