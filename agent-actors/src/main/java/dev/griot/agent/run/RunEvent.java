package dev.griot.agent.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.Turn;
import dev.griot.persistence.CborSerializable;
import java.time.Instant;
import java.util.Optional;

/**
 * What happened to a run, in the order it happened: the journal of one run. The type names are
 * part of the stored format (golden files guard them): never rename one, add new ones instead.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RunEvent.RunSubmitted.class, name = "run-submitted"),
  @JsonSubTypes.Type(value = RunEvent.RunQueued.class, name = "run-queued"),
  @JsonSubTypes.Type(value = RunEvent.AttemptAssigned.class, name = "attempt-assigned"),
  @JsonSubTypes.Type(value = RunEvent.AttemptStarted.class, name = "attempt-started"),
  @JsonSubTypes.Type(value = RunEvent.SessionCaptured.class, name = "session-captured"),
  @JsonSubTypes.Type(value = RunEvent.TurnJournaled.class, name = "turn-journaled"),
  @JsonSubTypes.Type(value = RunEvent.InputRequested.class, name = "input-requested"),
  @JsonSubTypes.Type(value = RunEvent.InputProvided.class, name = "input-provided"),
  @JsonSubTypes.Type(value = RunEvent.RunCompleted.class, name = "run-completed"),
  @JsonSubTypes.Type(value = RunEvent.AttemptFailed.class, name = "attempt-failed"),
  @JsonSubTypes.Type(value = RunEvent.RunTimedOut.class, name = "run-timed-out"),
  @JsonSubTypes.Type(value = RunEvent.RunCancelled.class, name = "run-cancelled"),
  @JsonSubTypes.Type(value = RunEvent.BackoffStarted.class, name = "backoff-started"),
  @JsonSubTypes.Type(value = RunEvent.RunDeadLettered.class, name = "run-dead-lettered"),
  @JsonSubTypes.Type(value = RunEvent.RunRedriven.class, name = "run-redriven"),
  @JsonSubTypes.Type(value = RunEvent.AttemptYielded.class, name = "attempt-yielded")
})
public sealed interface RunEvent extends CborSerializable {

  Instant at();

  /** A user's submission was accepted. */
  record RunSubmitted(String runId, RunSpec spec, Instant at) implements RunEvent {}

  /** The run waits for a worker slot, until the queue-wait deadline if it has one. */
  record RunQueued(Instant at, Optional<Instant> queueDeadline) implements RunEvent {}

  /** A worker took the run's next attempt: the attempt number fences everything it reports. */
  record AttemptAssigned(int attempt, String workerId, Instant at, Optional<Instant> startDeadline)
      implements RunEvent {}

  /** The harness process started in its sandbox. */
  record AttemptStarted(int attempt, Instant at, Optional<Instant> runDeadline) implements RunEvent {}

  /** The harness told its session id, which a later attempt resumes natively. */
  record SessionCaptured(int attempt, String sessionId, Instant at) implements RunEvent {}

  /**
   * A completed turn, journaled before the worker is acknowledged, with the checkpoint of the
   * workspace (and the harness's session files in it) taken at its end, when the worker took one.
   */
  record TurnJournaled(int attempt, Turn turn, Instant at, Optional<CheckpointRef> checkpoint) implements RunEvent {
    public TurnJournaled {
      checkpoint = checkpoint == null ? Optional.empty() : checkpoint;
    }
  }

  /** The harness (or a policy) asks a human; the run waits until the input deadline. */
  record InputRequested(int attempt, String question, Instant at, Optional<Instant> inputDeadline)
      implements RunEvent {}

  /** A human answered. */
  record InputProvided(String text, Instant at) implements RunEvent {}

  /** The harness finished with a result. */
  record RunCompleted(int attempt, String resultText, double costUsd, Instant at) implements RunEvent {}

  /** The attempt failed; a retry decision follows. */
  record AttemptFailed(int attempt, FailureKind kind, String message, Instant at) implements RunEvent {}

  /** A deadline passed; a retry decision follows. */
  record RunTimedOut(int attempt, DeadlineKind deadline, Instant at) implements RunEvent {}

  record RunCancelled(String reason, Instant at) implements RunEvent {}

  /**
   * The next attempt waits for its backoff. When it comes straight from a running attempt (a lost
   * worker, a transient harness failure), {@code failure} records why that attempt ended.
   */
  record BackoffStarted(int failedAttempt, Optional<FailureKind> failure, String message, Instant retryAt, Instant at)
      implements RunEvent {}

  /** No more attempts: retry budget spent, or the failure can't be cured by trying again. */
  record RunDeadLettered(String reason, Instant at) implements RunEvent {}

  /**
   * The worker handed the attempt back at a turn boundary (its node is shutting down): the run
   * queues for its next attempt at once, and this attempt does not count against the retry policy.
   */
  record AttemptYielded(int attempt, String reason, Instant at, Optional<Instant> queueDeadline) implements RunEvent {}

  /** An operator re-drove a dead-lettered run: it queues for a new attempt. */
  record RunRedriven(Instant at, Optional<Instant> queueDeadline) implements RunEvent {}
}
