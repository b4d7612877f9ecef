package dev.griot.agent.harness;

import dev.griot.persistence.CborSerializable;
import java.util.Objects;

/**
 * What an attempt resumes from: the harness's own session (restored by the worker before the
 * start) and the number of turns already journaled for the run.
 */
public record ResumeContext(String sessionId, int completedTurns) implements CborSerializable {

  public ResumeContext {
    Objects.requireNonNull(sessionId, "sessionId");
    if (completedTurns < 0) throw new IllegalArgumentException("completedTurns < 0");
  }
}
