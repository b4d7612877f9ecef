package dev.griot.agent.run;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
  private final RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.1);

  @Test
  void backoffDoublesUpToTheCapWithJitterAroundIt() {
    assertEquals(Duration.ofSeconds(1), policy.backoffAfter(1, 0.5));
    assertEquals(Duration.ofSeconds(2), policy.backoffAfter(2, 0.5));
    assertEquals(Duration.ofSeconds(32), policy.backoffAfter(6, 0.5));
    assertEquals(Duration.ofSeconds(60), policy.backoffAfter(7, 0.5));
    assertEquals(Duration.ofSeconds(60), policy.backoffAfter(200, 0.5), "no overflow for huge attempt numbers");
    assertEquals(Duration.ofMillis(900), policy.backoffAfter(1, 0.0));
    assertEquals(Duration.ofMillis(1100), policy.backoffAfter(1, 1.0));
  }

  @Test
  void attemptsLeft() {
    assertTrue(policy.hasAttemptsAfter(9));
    assertFalse(policy.hasAttemptsAfter(10));
  }

  @Test
  void nonsenseIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO, 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 1.0));
  }
}
