package dev.griot.agent.harness;

/**
 * Why an attempt failed; it decides what the run does next. {@link #TRANSIENT} is retried (rate
 * limit, overload, 5xx, a crashed harness, a lost worker); {@link #FATAL} dead-letters at once
 * (authentication, a bad spec); the others name the limit that ended the attempt.
 */
public enum FailureKind {
  TRANSIENT,
  FATAL,
  TIMEOUT,
  BUDGET,
  MAX_TURNS,
  CANCELLED,
  SANDBOX
}
