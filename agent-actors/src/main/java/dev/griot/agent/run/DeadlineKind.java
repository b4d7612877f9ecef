package dev.griot.agent.run;

/** Which durable timer a due time belongs to. */
public enum DeadlineKind {
  QUEUE_WAIT,
  START,
  RUN,
  INPUT,
  RETRY_BACKOFF
}
