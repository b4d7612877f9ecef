package dev.griot.agent.harness.gemini;

import dev.griot.agent.harness.HarnessJson;
import dev.griot.agent.harness.JsonLinesParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import dev.griot.agent.harness.HarnessErrorText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses {@code gemini -p PROMPT --output-format stream-json}, one JSON object per line.
 *
 * <ul>
 *   <li>{@code init} gives {@link HarnessEvent.SessionStarted} ({@code session_id}, {@code
 *       model}; the model is often {@code auto}).
 *   <li>{@code message} with role {@code assistant}: the pieces ({@code delta: true}) are joined
 *       into one message, given as {@link HarnessEvent.AssistantMessage} with id {@code
 *       gemini-<turn>-<n>} when a tool call or the end of the turn closes it. User messages (the
 *       prompt, echoed) are skipped.
 *   <li>{@code tool_use} gives {@link HarnessEvent.ToolCall} ({@code tool_id}, {@code tool_name},
 *       {@code parameters}); {@code tool_result} gives {@link HarnessEvent.ToolResult} (its {@code
 *       output}, or the error message when {@code status} is {@code error}).
 *   <li>A turn is one model response plus the results of its tool calls: it completes when the
 *       model speaks again (a message or a tool call after all its calls are answered) or at the
 *       {@code result}. Gemini reports tokens only in the {@code result}'s {@code stats}, for the
 *       whole attempt, so the turn completed at the {@code result} carries them all and earlier
 *       turns carry none.
 *   <li>{@code result} gives {@link HarnessEvent.TurnCompleted} (when a turn is open) and {@link
 *       HarnessEvent.Result}, its text the last assistant message; a {@code status} other than
 *       {@code success} also gives an {@link HarnessEvent.Error} (the CLI's fatal error class
 *       decides the kind: turn limit {@link FailureKind#MAX_TURNS}, authentication and bad input
 *       {@link FailureKind#FATAL}, otherwise the HTTP status in the message, else {@link
 *       FailureKind#TRANSIENT}).
 *   <li>{@code error} with {@code severity: warning} is counted ({@link #warnings()}); with
 *       {@code severity: error} it gives an {@link HarnessEvent.Error} ({@link
 *       FailureKind#MAX_TURNS} for "Maximum session turns exceeded").
 *   <li>An exit without a result and without an error: by the exit code (1 API error {@link
 *       FailureKind#TRANSIENT}, 41 authentication and 42 bad input {@link FailureKind#FATAL}, 53
 *       turn limit {@link FailureKind#MAX_TURNS}, 126/127 program missing {@link
 *       FailureKind#SANDBOX}, others {@link FailureKind#TRANSIENT}).
 * </ul>
 *
 * At most one {@link HarnessEvent.Error} per attempt.
 */
public final class GeminiStreamJsonParser extends JsonLinesParser {

  private int completedTurns;
  private List<TurnItem> turn;
  private final Set<String> pendingCalls = new HashSet<>();
  private boolean turnHasResults;
  private final StringBuilder text = new StringBuilder();
  private int messagesInTurn;
  private String lastMessage = "";
  private boolean resultSeen;
  private boolean success;
  private boolean errorEmitted;
  private int warnings;

  /** @param startTurnNumber turns completed by earlier attempts; the first turn here is one more */
  public GeminiStreamJsonParser(int startTurnNumber) {
    super(startTurnNumber);
  }

  @Override
  protected void onObject(JsonNode node, List<HarnessEvent> events) {
    switch (node.path("type").asText("")) {
      case "init" -> events.add(
          new HarnessEvent.SessionStarted(node.path("session_id").asText(""), node.path("model").asText("")));
      case "message" -> {
        if (!"assistant".equals(node.path("role").asText(""))) break;
        String piece = node.path("content").asText("");
        if (piece.isEmpty()) break;
        modelSpeaks(events);
        text.append(piece);
      }
      case "tool_use" -> {
        modelSpeaks(events);
        flushMessage(events);
        String id = node.path("tool_id").asText("");
        String name = node.path("tool_name").asText("");
        String input = HarnessJson.compact(node.get("parameters"));
        pendingCalls.add(id);
        turn.add(new TurnItem.ToolCall(id, name, input));
        events.add(new HarnessEvent.ToolCall(id, name, input));
      }
      case "tool_result" -> {
        flushMessage(events);
        String id = node.path("tool_id").asText("");
        boolean isError = "error".equals(node.path("status").asText(""));
        String content = node.path("output").asText("");
        if (isError && content.isEmpty()) content = node.path("error").path("message").asText("");
        openTurn();
        pendingCalls.remove(id);
        turnHasResults = true;
        turn.add(new TurnItem.ToolResult(id, content, isError));
        events.add(new HarnessEvent.ToolResult(id, content, isError));
      }
      case "error" -> {
        String message = node.path("message").asText("");
        if (!"error".equals(node.path("severity").asText(""))) {
          warnings++;
          break;
        }
        FailureKind kind = message.toLowerCase(java.util.Locale.ROOT).contains("maximum session turns")
            ? FailureKind.MAX_TURNS
            : HarnessErrorText.kindOf(message);
        fail(new HarnessEvent.Error(kind, message.isEmpty() ? "gemini reported an error" : message), events);
      }
      case "result" -> onResult(node, events);
      default -> {}
    }
  }

  @Override
  public List<HarnessEvent> onExit(int exitCode) {
    if (errorEmitted || (success && exitCode == 0)) return List.of();
    List<HarnessEvent> events = new ArrayList<>();
    fail(GeminiJson.exitFailure(exitCode), events);
    return events;
  }

  /** How many {@code error} lines of severity {@code warning} were seen. */
  public int warnings() {
    return warnings;
  }

  /** Turns completed in this attempt so far. */
  public int completedTurns() {
    return completedTurns;
  }

  private void onResult(JsonNode node, List<HarnessEvent> events) {
    flushMessage(events);
    JsonNode stats = node.path("stats");
    Usage usage = GeminiJson.streamUsage(stats);
    if (turn != null) completeTurn(usage, events);
    resultSeen = true;
    String status = node.path("status").asText("");
    success = "success".equals(status);
    JsonNode error = node.path("error");
    String resultText = success ? lastMessage : error.path("message").asText(lastMessage);
    String subtype = success ? "success" : error.path("type").asText(status.isEmpty() ? "error" : status);
    events.add(new HarnessEvent.Result(success, subtype, resultText, usage, 0.0, completedTurns));
    if (!success) fail(GeminiJson.failure(error), events);
  }

  /** The model produces output: after answered tool calls, that starts the next turn. */
  private void modelSpeaks(List<HarnessEvent> events) {
    if (turn != null && turnHasResults && pendingCalls.isEmpty()) completeTurn(Usage.ZERO, events);
    openTurn();
  }

  private void openTurn() {
    if (turn == null) {
      turn = new ArrayList<>();
      turnHasResults = false;
      messagesInTurn = 0;
    }
  }

  private void flushMessage(List<HarnessEvent> events) {
    if (text.length() == 0) return;
    openTurn();
    messagesInTurn++;
    String id = "gemini-" + (startTurnNumber + completedTurns + 1) + "-" + messagesInTurn;
    String message = text.toString();
    text.setLength(0);
    lastMessage = message;
    turn.add(new TurnItem.Message(id, message));
    events.add(new HarnessEvent.AssistantMessage(id, message));
  }

  private void completeTurn(Usage usage, List<HarnessEvent> events) {
    flushMessage(events);
    completedTurns++;
    events.add(new HarnessEvent.TurnCompleted(new Turn(startTurnNumber + completedTurns, turn, usage)));
    turn = null;
    pendingCalls.clear();
  }

  private void fail(HarnessEvent.Error error, List<HarnessEvent> events) {
    if (errorEmitted) return;
    errorEmitted = true;
    events.add(error);
  }
}
