package dev.griot.agent.run;

import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.harness.Usage;
import dev.griot.persistence.CborSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What every state of an accepted run carries: the spec, the attempt chain, how many turns are
 * journaled, the harness session to resume, the checkpoint of the latest checkpointed turn, and
 * the usage so far. The turns themselves live in
 * the journal as events; the state keeps only their count so recovery stays cheap.
 */
public record RunRecord(
    String runId,
    RunSpec spec,
    Instant submittedAt,
    Instant updatedAt,
    List<Attempt> attempts,
    int completedTurns,
    Optional<String> sessionId,
    Usage usage,
    double costUsd,
    String lastFailure,
    int attemptsBeforeRedrive,
    Optional<CheckpointRef> checkpoint)
    implements CborSerializable {

  public RunRecord {
    attempts = List.copyOf(attempts);
    sessionId = sessionId == null ? Optional.empty() : sessionId;
    lastFailure = lastFailure == null ? "" : lastFailure;
    checkpoint = checkpoint == null ? Optional.empty() : checkpoint;
  }

  static RunRecord submitted(String runId, RunSpec spec, Instant at) {
    return new RunRecord(runId, spec, at, at, List.of(), 0, Optional.empty(), Usage.ZERO, 0, "", 0, Optional.empty());
  }

  /**
   * Attempts counted against the retry policy: those since the last operator re-drive that were
   * not handed back by their worker. ({@code attemptsBeforeRedrive}, a stored name, counts every
   * attempt that does not count: those before the last re-drive and those that yielded.)
   */
  public int attemptsInBudget() {
    return attemptNumber() - attemptsBeforeRedrive;
  }

  RunRecord redriven() {
    return new RunRecord(runId, spec, submittedAt, updatedAt, attempts, completedTurns, sessionId, usage, costUsd, lastFailure, attemptNumber(), checkpoint);
  }

  /** The current attempt was handed back: it ends, and does not count against the retry policy. */
  RunRecord yielded(String reason, Instant at) {
    RunRecord r = updateCurrentAttempt(a -> a.yielded(reason, at));
    return new RunRecord(runId, spec, submittedAt, updatedAt, r.attempts, completedTurns, sessionId, usage, costUsd, lastFailure, attemptsBeforeRedrive + 1, checkpoint);
  }

  /** The number of the current (latest) attempt, 0 before the first assignment. */
  public int attemptNumber() {
    return attempts.isEmpty() ? 0 : attempts.get(attempts.size() - 1).number();
  }

  public Optional<Attempt> currentAttempt() {
    return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
  }

  RunRecord at(Instant when) {
    return new RunRecord(runId, spec, submittedAt, when, attempts, completedTurns, sessionId, usage, costUsd, lastFailure, attemptsBeforeRedrive, checkpoint);
  }

  RunRecord withAttempt(Attempt attempt) {
    List<Attempt> next = new ArrayList<>(attempts);
    next.add(attempt);
    return new RunRecord(runId, spec, submittedAt, updatedAt, next, completedTurns, sessionId, usage, costUsd, lastFailure, attemptsBeforeRedrive, checkpoint);
  }

  RunRecord updateCurrentAttempt(UnaryOperator<Attempt> change) {
    if (attempts.isEmpty()) return this;
    List<Attempt> next = new ArrayList<>(attempts);
    next.set(next.size() - 1, change.apply(next.get(next.size() - 1)));
    return new RunRecord(runId, spec, submittedAt, updatedAt, next, completedTurns, sessionId, usage, costUsd, lastFailure, attemptsBeforeRedrive, checkpoint);
  }

  RunRecord withTurn(Usage turnUsage) {
    return new RunRecord(runId, spec, submittedAt, updatedAt, attempts, completedTurns + 1, sessionId, usage.plus(turnUsage), costUsd, lastFailure, attemptsBeforeRedrive, checkpoint);
  }

  /** The workspace as of the latest checkpointed turn. */
  RunRecord withCheckpoint(CheckpointRef ref) {
    return new RunRecord(runId, spec, submittedAt, updatedAt, attempts, completedTurns, sessionId, usage, costUsd, lastFailure, attemptsBeforeRedrive, Optional.of(ref));
  }

  RunRecord withSession(String session) {
    return new RunRecord(runId, spec, submittedAt, updatedAt, attempts, completedTurns, Optional.of(session), usage, costUsd, lastFailure, attemptsBeforeRedrive, checkpoint);
  }

  RunRecord withCost(double totalCostUsd) {
    return new RunRecord(runId, spec, submittedAt, updatedAt, attempts, completedTurns, sessionId, usage, totalCostUsd, lastFailure, attemptsBeforeRedrive, checkpoint);
  }

  RunRecord withFailure(String failure) {
    return new RunRecord(runId, spec, submittedAt, updatedAt, attempts, completedTurns, sessionId, usage, costUsd, failure, attemptsBeforeRedrive, checkpoint);
  }
}
