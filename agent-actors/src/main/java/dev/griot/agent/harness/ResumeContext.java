package dev.griot.agent.harness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.griot.persistence.CborSerializable;
import java.util.Objects;

/**
 * What an attempt resumes from: the harness's own session (restored by the worker before the
 * start) and the number of turns already journaled for the run. An empty {@code sessionId} is a
 * <b>recovery</b>: the session could not be restored, so the harness starts a new one, and its
 * prompt is a {@link RecoveryPrompt} carrying the journaled turns.
 */
public record ResumeContext(String sessionId, int completedTurns) implements CborSerializable {

  public ResumeContext {
    Objects.requireNonNull(sessionId, "sessionId");
    if (completedTurns < 0) throw new IllegalArgumentException("completedTurns < 0");
  }

  /** A new session that continues after {@code completedTurns} journaled turns, told them in its prompt. */
  public static ResumeContext recovery(int completedTurns) {
    return new ResumeContext("", completedTurns);
  }

  /** Whether the harness continues its own session ({@code --resume}); false for a recovery. */
  @JsonIgnore
  public boolean isNative() {
    return !sessionId.isEmpty();
  }
}
