package dev.griot.agent.run;

import dev.griot.persistence.CborSerializable;
import java.time.Duration;

/**
 * How often and how soon a failed attempt is tried again. The backoff before attempt {@code n+1}
 * is {@code min(initial · 2^(n-1), max) · U[1-jitter, 1+jitter]}.
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter)
    implements CborSerializable {

  public RetryPolicy {
    if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
    if (initialBackoff == null || initialBackoff.isNegative())
      throw new IllegalArgumentException("initialBackoff must be zero or positive");
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0)
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
    if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("jitter must be in [0, 1)");
  }

  /**
   * The delay after the given failed attempt (1-based), with {@code random} in [0, 1) drawn by
   * the caller so the result is reproducible in tests.
   */
  public Duration backoffAfter(int failedAttempt, double random) {
    int exponent = Math.min(Math.max(failedAttempt - 1, 0), 30);
    long base = Math.min(initialBackoff.toMillis() << exponent, maxBackoff.toMillis());
    double factor = 1 - jitter + 2 * jitter * random;
    return Duration.ofMillis(Math.round(base * factor));
  }

  public boolean hasAttemptsAfter(int attempt) {
    return attempt < maxAttempts;
  }
}
