package dev.griot.agent.run;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.run.RunEvent.*;
import dev.griot.agent.run.RunState.*;
import java.util.Locale;

/**
 * The run's event handler as one pure function: the state after an event. The entity applies it
 * when it persists and recovers; {@code WatchRun} folds it along the journal to tell watchers the
 * state after each event. Which transitions are legal is decided by the entity's command
 * handlers; an event is a fact and is applied as it is.
 */
public final class RunTransitions {

  private RunTransitions() {}

  public static RunState apply(RunState s, RunEvent event) {
    if (event instanceof RunSubmitted e) return new Created(RunRecord.submitted(e.runId(), e.spec(), e.at()));
    RunRecord r = ((Accepted) s).record().at(event.at());
    if (event instanceof RunQueued e) return new Queued(r, e.queueDeadline());
    if (event instanceof AttemptAssigned e)
      return new Assigned(r.withAttempt(Attempt.assigned(e.attempt(), e.workerId(), e.at())), e.startDeadline());
    if (event instanceof AttemptStarted e) return new Running(r.updateCurrentAttempt(a -> a.started(e.at())), e.runDeadline());
    if (event instanceof SessionCaptured e) return ((Accepted) s).withRecord(r.withSession(e.sessionId()));
    if (event instanceof TurnJournaled e) {
      RunRecord next = r.withTurn(e.turn().usage());
      return ((Accepted) s).withRecord(e.checkpoint().map(next::withCheckpoint).orElse(next));
    }
    if (event instanceof InputRequested e)
      return new WaitingForInput(r, e.question(), e.inputDeadline(), ((Running) s).runDeadline());
    if (event instanceof InputProvided e) return new Running(r, ((WaitingForInput) s).runDeadline());
    if (event instanceof RunCompleted e)
      return new Completed(r.updateCurrentAttempt(a -> a.ended(e.at())).withCost(r.costUsd() + e.costUsd()), e.resultText());
    if (event instanceof AttemptFailed e)
      return new Failed(
          r.updateCurrentAttempt(a -> a.failed(e.kind(), e.message(), e.at())).withFailure(e.message()), e.kind(), e.message());
    if (event instanceof RunTimedOut e) {
      String why = e.deadline().name().toLowerCase(Locale.ROOT) + " deadline passed";
      RunRecord next = r.withFailure(why);
      if (holdsAttempt(s)) next = next.updateCurrentAttempt(a -> a.failed(FailureKind.TIMEOUT, why, e.at()));
      return new TimedOut(next, e.deadline());
    }
    if (event instanceof RunCancelled e) {
      RunRecord next = holdsAttempt(s) ? r.updateCurrentAttempt(a -> a.failed(FailureKind.CANCELLED, e.reason(), e.at())) : r;
      return new Cancelled(next, e.reason());
    }
    if (event instanceof BackoffStarted e) {
      RunRecord next = e.failure().isPresent()
          ? r.updateCurrentAttempt(a -> a.failed(e.failure().get(), e.message(), e.at())).withFailure(e.message())
          : r;
      return new RunState.RetryScheduled(next, e.retryAt());
    }
    if (event instanceof RunDeadLettered e) return new DeadLettered(r.withFailure(e.reason()), e.reason());
    if (event instanceof AttemptYielded e) return new Queued(r.yielded(e.reason(), e.at()), e.queueDeadline());
    if (event instanceof RunRedriven e) return new Queued(r.redriven(), e.queueDeadline());
    throw new IllegalArgumentException("unknown run event " + event.getClass().getName());
  }

  /** States in which an attempt is out with a worker. */
  public static boolean holdsAttempt(RunState s) {
    return s instanceof Assigned || s instanceof Running || s instanceof WaitingForInput;
  }
}
