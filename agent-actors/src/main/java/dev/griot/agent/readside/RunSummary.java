package dev.griot.agent.readside;

import dev.griot.agent.run.RunStatus;
import java.time.Instant;

/** One row of the read side: what {@code ListRuns} shows of a run. */
public record RunSummary(
    String runId,
    RunStatus status,
    String harness,
    String queue,
    String promptPreview,
    int attempt,
    int completedTurns,
    Instant submittedAt,
    Instant updatedAt,
    String lastFailure,
    long lastSequenceNr) {}
