package dev.griot.node.cli;

import dev.griot.grpc.v1.Run;
import dev.griot.grpc.v1.RunEvent;
import dev.griot.grpc.v1.RunState;
import dev.griot.grpc.v1.RunSummary;
import dev.griot.grpc.v1.TurnItem;
import java.io.PrintStream;
import java.util.Locale;

/** Plain-text lines for runs and their events. */
final class RunPrinter {
  private final PrintStream out;

  RunPrinter(PrintStream out) {
    this.out = out;
  }

  static String state(RunState s) {
    return s.name().replace("RUN_STATE_", "").toLowerCase(Locale.ROOT);
  }

  void run(Run r) {
    out.printf("%s  %s  harness=%s attempt=%d turns=%d tokens=%d/%d cost=$%.6f%n", r.getRunId(), state(r.getState()),
        r.getHarness(), r.getAttemptsCount(), r.getCompletedTurns(), r.getUsage().getInputTokens(),
        r.getUsage().getOutputTokens(), r.getCostUsd());
    out.printf("  queue: %s, priority %d%n", r.getQueue(), r.getPriority());
    if (!r.getSessionId().isEmpty()) out.println("  session: " + r.getSessionId());
    if (r.hasCheckpoint())
      out.printf("  checkpoint: turn %d, %d files, %d bytes (%s)%n", r.getCheckpoint().getTurn(),
          r.getCheckpoint().getFiles(), r.getCheckpoint().getBytes(), r.getCheckpoint().getManifest());
    if (!r.getResultText().isEmpty()) out.println("  result: " + r.getResultText());
    if (!r.getLastFailure().isEmpty()) out.println("  last failure: " + r.getLastFailure());
    if (!r.getPendingQuestion().isEmpty()) out.println("  waiting for input: " + r.getPendingQuestion());
  }

  void summary(RunSummary s) {
    out.printf("%s  %-17s %-8s attempt=%d turns=%d  %s%n", s.getRunId(), state(s.getState()), s.getHarness(),
        s.getAttempt(), s.getCompletedTurns(), s.getPromptPreview());
  }

  void event(RunEvent e) {
    String head = String.format("#%-4d %-17s ", e.getSequenceNr(), state(e.getState()));
    switch (e.getEventCase()) {
      case SUBMITTED -> out.println(head + "submitted: " + e.getSubmitted().getPrompt());
      case QUEUED -> out.println(head + "queued");
      case ATTEMPT_ASSIGNED -> out.println(head + "attempt " + e.getAttempt() + " assigned to " + e.getAttemptAssigned().getWorkerId());
      case ATTEMPT_STARTED -> out.println(head + "attempt " + e.getAttempt() + " started");
      case SESSION_CAPTURED -> out.println(head + "session " + e.getSessionCaptured().getSessionId());
      case TURN_COMPLETED -> {
        var t = e.getTurnCompleted();
        out.println(head + "turn " + t.getNumber() + " (" + t.getUsage().getInputTokens() + " in / "
            + t.getUsage().getOutputTokens() + " out tokens)");
        for (TurnItem item : t.getItemsList()) {
          switch (item.getItemCase()) {
            case MESSAGE -> out.println("        assistant: " + item.getMessage().getText());
            case TOOL_CALL -> out.println("        tool call " + item.getToolCall().getName() + " " + item.getToolCall().getInputJson());
            case TOOL_RESULT -> out.println("        tool result" + (item.getToolResult().getIsError() ? " (error)" : "") + ": "
                + item.getToolResult().getContent());
            default -> {}
          }
        }
      }
      case INPUT_REQUESTED -> out.println(head + "asks: " + e.getInputRequested().getQuestion());
      case INPUT_PROVIDED -> out.println(head + "input: " + e.getInputProvided().getText());
      case COMPLETED -> out.printf("%scompleted: %s (cost $%.6f)%n", head, e.getCompleted().getResultText(), e.getCompleted().getCostUsd());
      case ATTEMPT_FAILED -> out.println(head + "attempt " + e.getAttempt() + " failed (" + e.getAttemptFailed().getKind() + "): "
          + e.getAttemptFailed().getMessage());
      case TIMED_OUT -> out.println(head + e.getTimedOut().getDeadline() + " deadline passed");
      case CANCELLED -> out.println(head + "cancelled: " + e.getCancelled().getReason());
      case BACKOFF_STARTED -> out.println(head + "retry at " + java.time.Instant.ofEpochSecond(
          e.getBackoffStarted().getRetryAt().getSeconds(), e.getBackoffStarted().getRetryAt().getNanos())
          + (e.getBackoffStarted().getMessage().isEmpty() ? "" : " after: " + e.getBackoffStarted().getMessage()));
      case DEAD_LETTERED -> out.println(head + "dead-lettered: " + e.getDeadLettered().getReason());
      case REDRIVEN -> out.println(head + "re-driven");
      case ATTEMPT_YIELDED -> out.println(head + "attempt " + e.getAttempt() + " handed back: " + e.getAttemptYielded().getReason());
      default -> out.println(head + e.getEventCase());
    }
  }
}
