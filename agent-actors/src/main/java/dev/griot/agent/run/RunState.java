package dev.griot.agent.run;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.griot.agent.harness.FailureKind;
import dev.griot.persistence.CborSerializable;
import java.time.Instant;
import java.util.Optional;

/**
 * The state of a run entity: one record per lifecycle state of DESIGN.md §3. Every state that
 * waits on the clock holds its due time, so the timer is re-armed after recovery.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "state")
@JsonSubTypes({
  @JsonSubTypes.Type(value = RunState.Empty.class, name = "empty"),
  @JsonSubTypes.Type(value = RunState.Created.class, name = "created"),
  @JsonSubTypes.Type(value = RunState.Queued.class, name = "queued"),
  @JsonSubTypes.Type(value = RunState.Assigned.class, name = "assigned"),
  @JsonSubTypes.Type(value = RunState.Running.class, name = "running"),
  @JsonSubTypes.Type(value = RunState.WaitingForInput.class, name = "waiting_for_input"),
  @JsonSubTypes.Type(value = RunState.Completed.class, name = "completed"),
  @JsonSubTypes.Type(value = RunState.Failed.class, name = "failed"),
  @JsonSubTypes.Type(value = RunState.TimedOut.class, name = "timed_out"),
  @JsonSubTypes.Type(value = RunState.Cancelled.class, name = "cancelled"),
  @JsonSubTypes.Type(value = RunState.RetryScheduled.class, name = "retry_scheduled"),
  @JsonSubTypes.Type(value = RunState.DeadLettered.class, name = "dead_lettered")
})
public sealed interface RunState extends CborSerializable {

  RunStatus status();

  /** The durable timer this state waits on, if any. */
  default Optional<Due> due() {
    return Optional.empty();
  }

  /** A due time and what it is for. */
  record Due(DeadlineKind kind, Instant at) implements CborSerializable {}

  /** A state after submission: every one of them carries the run's record. */
  sealed interface Accepted extends RunState {
    RunRecord record();

    /** The same state holding a changed record. */
    Accepted withRecord(RunRecord record);
  }

  /** No run was ever submitted under this id. */
  record Empty() implements RunState {
    public RunStatus status() {
      return null;
    }
  }

  record Created(RunRecord record) implements Accepted {
    public Created withRecord(RunRecord r) {
      return new Created(r);
    }

    public RunStatus status() {
      return RunStatus.CREATED;
    }
  }

  record Queued(RunRecord record, Optional<Instant> queueDeadline) implements Accepted {
    public Queued withRecord(RunRecord r) {
      return new Queued(r, queueDeadline);
    }

    public RunStatus status() {
      return RunStatus.QUEUED;
    }

    public Optional<Due> due() {
      return queueDeadline.map(at -> new Due(DeadlineKind.QUEUE_WAIT, at));
    }
  }

  record Assigned(RunRecord record, Optional<Instant> startDeadline) implements Accepted {
    public Assigned withRecord(RunRecord r) {
      return new Assigned(r, startDeadline);
    }

    public RunStatus status() {
      return RunStatus.ASSIGNED;
    }

    public Optional<Due> due() {
      return startDeadline.map(at -> new Due(DeadlineKind.START, at));
    }
  }

  record Running(RunRecord record, Optional<Instant> runDeadline) implements Accepted {
    public Running withRecord(RunRecord r) {
      return new Running(r, runDeadline);
    }

    public RunStatus status() {
      return RunStatus.RUNNING;
    }

    public Optional<Due> due() {
      return runDeadline.map(at -> new Due(DeadlineKind.RUN, at));
    }
  }

  record WaitingForInput(RunRecord record, String question, Optional<Instant> inputDeadline, Optional<Instant> runDeadline)
      implements Accepted {
    public WaitingForInput withRecord(RunRecord r) {
      return new WaitingForInput(r, question, inputDeadline, runDeadline);
    }

    public RunStatus status() {
      return RunStatus.WAITING_FOR_INPUT;
    }

    public Optional<Due> due() {
      return inputDeadline.map(at -> new Due(DeadlineKind.INPUT, at));
    }
  }

  record Completed(RunRecord record, String resultText) implements Accepted {
    public Completed withRecord(RunRecord r) {
      return new Completed(r, resultText);
    }

    public RunStatus status() {
      return RunStatus.COMPLETED;
    }
  }

  /** An attempt failed; the retry decision is the next event, re-driven after recovery. */
  record Failed(RunRecord record, FailureKind kind, String message) implements Accepted {
    public Failed withRecord(RunRecord r) {
      return new Failed(r, kind, message);
    }

    public RunStatus status() {
      return RunStatus.FAILED;
    }
  }

  /** A deadline passed; the retry decision is the next event, re-driven after recovery. */
  record TimedOut(RunRecord record, DeadlineKind deadline) implements Accepted {
    public TimedOut withRecord(RunRecord r) {
      return new TimedOut(r, deadline);
    }

    public RunStatus status() {
      return RunStatus.TIMED_OUT;
    }
  }

  record Cancelled(RunRecord record, String reason) implements Accepted {
    public Cancelled withRecord(RunRecord r) {
      return new Cancelled(r, reason);
    }

    public RunStatus status() {
      return RunStatus.CANCELLED;
    }
  }

  record RetryScheduled(RunRecord record, Instant retryAt) implements Accepted {
    public RetryScheduled withRecord(RunRecord r) {
      return new RetryScheduled(r, retryAt);
    }

    public RunStatus status() {
      return RunStatus.RETRY_SCHEDULED;
    }

    public Optional<Due> due() {
      return Optional.of(new Due(DeadlineKind.RETRY_BACKOFF, retryAt));
    }
  }

  record DeadLettered(RunRecord record, String reason) implements Accepted {
    public DeadLettered withRecord(RunRecord r) {
      return new DeadLettered(r, reason);
    }

    public RunStatus status() {
      return RunStatus.DEAD_LETTERED;
    }
  }
}
