package dev.griot.agent.run;

import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.Turn;
import dev.griot.persistence.CborSerializable;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Everything a run entity is told. User commands come through the gRPC edge with an ask; worker
 * reports carry the attempt number they belong to, so a stale attempt is refused and a duplicate
 * ignored; the rest the entity sends itself.
 */
public sealed interface RunCommand extends CborSerializable {

  // ---- user commands -------------------------------------------------------------------

  record Submit(RunSpec spec, ActorRef<Reply> replyTo) implements RunCommand {}

  record Get(ActorRef<Reply> replyTo) implements RunCommand {}

  record Cancel(String reason, ActorRef<Reply> replyTo) implements RunCommand {}

  record ProvideInput(String text, ActorRef<Reply> replyTo) implements RunCommand {}

  record Redrive(ActorRef<Reply> replyTo) implements RunCommand {}

  /** The answer to every user command. */
  sealed interface Reply extends CborSerializable {}

  /** Done; {@code created} is false when a submit found the same run already there. */
  record Ok(RunView view, boolean created) implements Reply {}

  record NotFound(String runId) implements Reply {}

  /** The command is not legal in the run's state; the reason says why (FAILED_PRECONDITION). */
  record Refused(RunStatus status, String reason) implements Reply {}

  /** A different spec was submitted under an idempotency key already used (ALREADY_EXISTS). */
  record Conflict(String reason) implements Reply {}

  // ---- worker protocol -----------------------------------------------------------------

  /** A worker with a free slot offers it; the run answers with a lease or declines. */
  record OfferSlot(String workerId, ActorRef<LeaseReply> replyTo) implements RunCommand {}

  sealed interface LeaseReply extends CborSerializable {}

  /**
   * The attempt is the worker's. {@code sessionId} and {@code completedTurns} let the harness
   * resume natively from the last journaled turn.
   */
  /**
   * The worker may run attempt {@code attempt}; it resumes after {@code completedTurns} turns, in
   * the harness's session {@code sessionId}, from {@code checkpoint} (the workspace as of the last
   * checkpointed turn) when there is one.
   */
  record LeaseGranted(
      String runId, int attempt, RunSpec spec, Optional<String> sessionId, int completedTurns,
      Optional<CheckpointRef> checkpoint)
      implements LeaseReply {}

  record LeaseDeclined(String runId, String reason) implements LeaseReply {}

  /** Every report of a worker: which attempt it speaks for, and where to answer. */
  sealed interface WorkerReport extends RunCommand {
    int attempt();

    ActorRef<WorkerReply> replyTo();
  }

  /** The harness process is up; {@code control} reaches the worker's attempt. */
  record ReportStarted(int attempt, ActorRef<AttemptControl> control, ActorRef<WorkerReply> replyTo)
      implements WorkerReport {}

  record ReportSession(int attempt, String sessionId, ActorRef<WorkerReply> replyTo) implements WorkerReport {}

  /** A completed turn, with the checkpoint the worker took at its end, if it took one. */
  record ReportTurn(int attempt, Turn turn, Optional<CheckpointRef> checkpoint, ActorRef<WorkerReply> replyTo)
      implements WorkerReport {}

  record ReportInputRequested(int attempt, String question, ActorRef<WorkerReply> replyTo) implements WorkerReport {}

  record ReportSucceeded(int attempt, String resultText, double costUsd, ActorRef<WorkerReply> replyTo)
      implements WorkerReport {}

  record ReportFailed(int attempt, FailureKind kind, String message, ActorRef<WorkerReply> replyTo)
      implements WorkerReport {}

  /**
   * The worker gives the attempt back at a turn boundary without a failure: its node is going
   * away (a rolling restart). Everything the attempt reported before is journaled.
   */
  record ReportYielded(int attempt, String reason, ActorRef<WorkerReply> replyTo) implements WorkerReport {}

  /** The worker is alive and still runs the attempt. */
  record Heartbeat(int attempt, ActorRef<AttemptControl> control, ActorRef<WorkerReply> replyTo)
      implements WorkerReport {}

  /** What the run answers a worker. */
  sealed interface WorkerReply extends CborSerializable {}

  /** Journaled (or already journaled: duplicates are acknowledged again, not stored twice). */
  record Acked(int attempt, String what) implements WorkerReply {}

  /** The attempt must end now: cancelled, timed out, or no longer the run's current attempt. */
  record Stop(int attempt, String reason) implements WorkerReply {}

  /** A report that does not fit the run's state, for example a turn out of order. */
  record Rejected(int attempt, String reason) implements WorkerReply {}

  /** What a run tells the worker that holds its attempt. */
  sealed interface AttemptControl extends CborSerializable {
    int attempt();
  }

  record StopAttempt(int attempt, String reason) implements AttemptControl {}

  record DeliverInput(int attempt, String text) implements AttemptControl {}

  // ---- the entity's own messages -------------------------------------------------------

  /** A durable timer fired. */
  record DeadlineReached(DeadlineKind kind) implements RunCommand {}

  /** No word from the worker for the lease timeout. */
  record LeaseExpired(int attempt) implements RunCommand {}

  /** Look whether the node of the attempt's worker is still in the cluster. */
  enum CheckWorker implements RunCommand {
    INSTANCE
  }

  /** The node of the attempt's worker is no longer in the cluster: the worker is lost for sure. */
  record WorkerNodeGone(int attempt, String workerId) implements RunCommand {}

  /** Decide what follows a failed or timed-out attempt (re-driven after recovery). */
  enum DecideRetry implements RunCommand {
    INSTANCE
  }

  /** The read side has the run's state as of {@code sequenceNr}. */
  record SummaryWritten(long sequenceNr) implements RunCommand {}

  record SummaryFailed(long sequenceNr, String error) implements RunCommand {}

  /** Write the run's summary to the read side now (coalesced turn updates, or after a failure). */
  enum WriteSummary implements RunCommand {
    INSTANCE
  }

  /** Nothing asked for a finished run for a while: let it go from memory. */
  enum Idle implements RunCommand {
    INSTANCE
  }
}
