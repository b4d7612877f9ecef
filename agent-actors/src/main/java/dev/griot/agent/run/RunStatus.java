package dev.griot.agent.run;

/** The eleven lifecycle states of a run, as the API and the read side name them. */
public enum RunStatus {
  CREATED,
  QUEUED,
  ASSIGNED,
  RUNNING,
  WAITING_FOR_INPUT,
  COMPLETED,
  FAILED,
  TIMED_OUT,
  CANCELLED,
  RETRY_SCHEDULED,
  DEAD_LETTERED;

  /** Completed, cancelled and dead-lettered runs do nothing more unless an operator re-drives. */
  public boolean isTerminal() {
    return this == COMPLETED || this == CANCELLED || this == DEAD_LETTERED;
  }
}
