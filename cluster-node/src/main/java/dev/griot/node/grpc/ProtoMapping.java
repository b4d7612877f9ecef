package dev.griot.node.grpc;

import com.google.protobuf.Timestamp;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import dev.griot.agent.readside.RunSummary;
import dev.griot.agent.run.Attempt;
import dev.griot.agent.run.RunEvent;
import dev.griot.agent.run.RunSpec;
import dev.griot.agent.run.RunStatus;
import dev.griot.agent.run.RunView;
import dev.griot.grpc.v1.Run;
import dev.griot.grpc.v1.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Pure mapping between Griot's domain types and the gRPC messages; proto types stay at the edge. */
public final class ProtoMapping {

  private ProtoMapping() {}

  public static RunState state(RunStatus status) {
    return RunState.forNumber(status.ordinal() + 1);
  }

  /** The status for a state filter; empty for UNSPECIFIED. */
  public static Optional<RunStatus> status(RunState state) {
    if (state == RunState.RUN_STATE_UNSPECIFIED || state == RunState.UNRECOGNIZED) return Optional.empty();
    return Optional.of(RunStatus.values()[state.getNumber() - 1]);
  }

  public static dev.griot.grpc.v1.FailureKind failure(FailureKind kind) {
    return dev.griot.grpc.v1.FailureKind.forNumber(kind.ordinal() + 1);
  }

  public static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static com.google.protobuf.Duration duration(Duration d) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(d.getSeconds()).setNanos(d.getNano()).build();
  }

  public static dev.griot.grpc.v1.Usage usage(Usage u) {
    return dev.griot.grpc.v1.Usage.newBuilder()
        .setInputTokens(u.inputTokens()).setOutputTokens(u.outputTokens())
        .setCacheReadTokens(u.cacheReadTokens()).setCacheCreationTokens(u.cacheCreationTokens()).build();
  }

  public static Run run(RunView view) {
    var r = view.record();
    RunSpec spec = r.spec();
    Run.Builder b = Run.newBuilder()
        .setRunId(r.runId())
        .setState(state(view.status()))
        .setHarness(spec.harness())
        .setPrompt(spec.prompt())
        .putAllOptions(spec.options())
        .setQueue(spec.queue())
        .setIdempotencyKey(spec.idempotencyKey())
        .setCompletedTurns(r.completedTurns())
        .setSessionId(r.sessionId().orElse(""))
        .setUsage(usage(r.usage()))
        .setCostUsd(r.costUsd())
        .setSubmittedAt(timestamp(r.submittedAt()))
        .setUpdatedAt(timestamp(r.updatedAt()))
        .setLastFailure(r.lastFailure())
        .setResultText(view.resultText())
        .setPendingQuestion(view.pendingQuestion())
        .setLastSequenceNr(view.lastSequenceNr())
        .setTimeouts(dev.griot.grpc.v1.Timeouts.newBuilder()
            .setQueueWait(duration(spec.timeouts().queueWait())).setStart(duration(spec.timeouts().start()))
            .setRun(duration(spec.timeouts().run())).setInput(duration(spec.timeouts().input())))
        .setRetry(dev.griot.grpc.v1.RetryPolicy.newBuilder()
            .setMaxAttempts(spec.retry().maxAttempts())
            .setInitialBackoff(duration(spec.retry().initialBackoff()))
            .setMaxBackoff(duration(spec.retry().maxBackoff())))
        .setBudget(dev.griot.grpc.v1.Budget.newBuilder()
            .setMaxTurns(spec.budget().maxTurns()).setMaxTokens(spec.budget().maxTokens())
            .setMaxCostUsd(spec.budget().maxCostUsd()))
        .setSandbox(spec.sandbox())
        .setPriority(spec.priority());
    view.nextDue().ifPresent(d -> b.setNextDueAt(timestamp(d.at())));
    for (Attempt a : r.attempts()) b.addAttempts(attempt(a));
    r.checkpoint().ifPresent(c -> b.setCheckpoint(dev.griot.grpc.v1.Checkpoint.newBuilder()
        .setManifest(c.manifest()).setTurn(c.turn()).setFiles(c.files()).setBytes(c.bytes())));
    return b.build();
  }

  static dev.griot.grpc.v1.Attempt attempt(Attempt a) {
    var b = dev.griot.grpc.v1.Attempt.newBuilder()
        .setNumber(a.number()).setWorkerId(a.workerId()).setAssignedAt(timestamp(a.assignedAt()))
        .setFailureMessage(a.failureMessage()).setYielded(a.yielded());
    a.startedAt().ifPresent(t -> b.setStartedAt(timestamp(t)));
    a.endedAt().ifPresent(t -> b.setEndedAt(timestamp(t)));
    a.failure().ifPresent(f -> b.setFailure(failure(f)));
    return b.build();
  }

  public static dev.griot.grpc.v1.RunSummary summary(RunSummary s) {
    return dev.griot.grpc.v1.RunSummary.newBuilder()
        .setRunId(s.runId()).setState(state(s.status())).setHarness(s.harness()).setQueue(s.queue())
        .setPromptPreview(s.promptPreview()).setAttempt(s.attempt()).setCompletedTurns(s.completedTurns())
        .setSubmittedAt(timestamp(s.submittedAt())).setUpdatedAt(timestamp(s.updatedAt()))
        .setLastFailure(s.lastFailure() == null ? "" : s.lastFailure())
        .build();
  }

  public static dev.griot.grpc.v1.Turn turn(Turn t) {
    var b = dev.griot.grpc.v1.Turn.newBuilder().setNumber(t.number()).setUsage(usage(t.usage()));
    for (TurnItem item : t.items()) {
      var ib = dev.griot.grpc.v1.TurnItem.newBuilder();
      if (item instanceof TurnItem.Message m)
        ib.setMessage(dev.griot.grpc.v1.TurnItem.Message.newBuilder().setMessageId(m.messageId()).setText(m.text()));
      else if (item instanceof TurnItem.ToolCall c)
        ib.setToolCall(dev.griot.grpc.v1.TurnItem.ToolCall.newBuilder()
            .setToolCallId(c.toolCallId()).setName(c.name()).setInputJson(c.inputJson()));
      else if (item instanceof TurnItem.ToolResult r)
        ib.setToolResult(dev.griot.grpc.v1.TurnItem.ToolResult.newBuilder()
            .setToolCallId(r.toolCallId()).setContent(r.content()).setIsError(r.isError()));
      b.addItems(ib);
    }
    return b.build();
  }

  /**
   * One journaled event as the API shows it, with the run's state after it (folded along the
   * journal with {@code RunTransitions}).
   */
  public static dev.griot.grpc.v1.RunEvent event(String runId, long sequenceNr, RunEvent e, RunStatus stateAfter, int attempt) {
    var b = dev.griot.grpc.v1.RunEvent.newBuilder()
        .setRunId(runId).setSequenceNr(sequenceNr).setAt(timestamp(e.at())).setState(state(stateAfter)).setAttempt(attempt);
    if (e instanceof RunEvent.RunSubmitted s)
      b.setSubmitted(dev.griot.grpc.v1.RunEvent.Submitted.newBuilder().setHarness(s.spec().harness()).setPrompt(s.spec().prompt()));
    else if (e instanceof RunEvent.RunQueued q) {
      var q2 = dev.griot.grpc.v1.RunEvent.Queued.newBuilder();
      q.queueDeadline().ifPresent(t -> q2.setQueueDeadline(timestamp(t)));
      b.setQueued(q2);
    } else if (e instanceof RunEvent.AttemptAssigned a) {
      var a2 = dev.griot.grpc.v1.RunEvent.AttemptAssigned.newBuilder().setWorkerId(a.workerId());
      a.startDeadline().ifPresent(t -> a2.setStartDeadline(timestamp(t)));
      b.setAttemptAssigned(a2);
    } else if (e instanceof RunEvent.AttemptStarted s) {
      var s2 = dev.griot.grpc.v1.RunEvent.AttemptStarted.newBuilder();
      s.runDeadline().ifPresent(t -> s2.setRunDeadline(timestamp(t)));
      b.setAttemptStarted(s2);
    } else if (e instanceof RunEvent.SessionCaptured s)
      b.setSessionCaptured(dev.griot.grpc.v1.RunEvent.SessionCaptured.newBuilder().setSessionId(s.sessionId()));
    else if (e instanceof RunEvent.TurnJournaled t) b.setTurnCompleted(turn(t.turn()));
    else if (e instanceof RunEvent.InputRequested q) {
      var q2 = dev.griot.grpc.v1.RunEvent.InputRequested.newBuilder().setQuestion(q.question());
      q.inputDeadline().ifPresent(t -> q2.setInputDeadline(timestamp(t)));
      b.setInputRequested(q2);
    } else if (e instanceof RunEvent.InputProvided i)
      b.setInputProvided(dev.griot.grpc.v1.RunEvent.InputProvided.newBuilder().setText(i.text()));
    else if (e instanceof RunEvent.RunCompleted c)
      b.setCompleted(dev.griot.grpc.v1.RunEvent.Completed.newBuilder().setResultText(c.resultText()).setCostUsd(c.costUsd()));
    else if (e instanceof RunEvent.AttemptFailed f)
      b.setAttemptFailed(dev.griot.grpc.v1.RunEvent.AttemptFailed.newBuilder().setKind(failure(f.kind())).setMessage(f.message()));
    else if (e instanceof RunEvent.RunTimedOut t)
      b.setTimedOut(dev.griot.grpc.v1.RunEvent.TimedOut.newBuilder().setDeadline(t.deadline().name().toLowerCase(java.util.Locale.ROOT)));
    else if (e instanceof RunEvent.RunCancelled c)
      b.setCancelled(dev.griot.grpc.v1.RunEvent.Cancelled.newBuilder().setReason(c.reason()));
    else if (e instanceof RunEvent.BackoffStarted r) {
      var r2 = dev.griot.grpc.v1.RunEvent.BackoffStarted.newBuilder().setMessage(r.message()).setRetryAt(timestamp(r.retryAt()));
      r.failure().ifPresent(f -> r2.setFailure(failure(f)));
      b.setBackoffStarted(r2);
    } else if (e instanceof RunEvent.RunDeadLettered d)
      b.setDeadLettered(dev.griot.grpc.v1.RunEvent.DeadLettered.newBuilder().setReason(d.reason()));
    else if (e instanceof RunEvent.RunRedriven r) {
      var r2 = dev.griot.grpc.v1.RunEvent.Redriven.newBuilder();
      r.queueDeadline().ifPresent(t -> r2.setQueueDeadline(timestamp(t)));
      b.setRedriven(r2);
    } else if (e instanceof RunEvent.AttemptYielded y) {
      var y2 = dev.griot.grpc.v1.RunEvent.AttemptYielded.newBuilder().setReason(y.reason());
      y.queueDeadline().ifPresent(t -> y2.setQueueDeadline(timestamp(t)));
      b.setAttemptYielded(y2);
    }
    return b.build();
  }
}
