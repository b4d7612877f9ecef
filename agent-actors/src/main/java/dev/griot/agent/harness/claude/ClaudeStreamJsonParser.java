package dev.griot.agent.harness.claude;

import dev.griot.agent.harness.HarnessJson;
import dev.griot.agent.harness.JsonLinesParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.griot.agent.harness.FailureClassifier;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code claude -p --output-format stream-json --verbose [--include-partial-messages]}.
 *
 * <ul>
 *   <li>{@code system/init} gives {@link HarnessEvent.SessionStarted}.
 *   <li>A turn is one {@code assistant} message (possibly spread over several lines with the same
 *       message id) plus the {@code tool_result}s of the following {@code user} lines. It
 *       completes when an {@code assistant} line with a new message id starts, at the {@code
 *       result}, or at a {@code system/api_retry} once all its tool calls are answered (the CLI is
 *       then already asking the model for the next turn). Each boundary gives {@link
 *       HarnessEvent.TurnCompleted}, with the usage of the turn's messages summed. A turn still
 *       open when the process ends is not completed: the next attempt redoes it.
 *   <li>A message's usage on its {@code assistant} lines is the one the model reported when the
 *       message started ({@code message_start}): its output tokens are not counted yet (the API
 *       says 1). With {@code --include-partial-messages} the CLI also prints the model's raw
 *       stream as {@code stream_event} lines; the {@code message_delta} event carries the final
 *       usage, which then replaces the message's (fields it has override those of the start).
 *       Other stream events are skipped.
 *   <li>{@code system/api_retry} gives {@link HarnessEvent.Retrying}; a 401 or 403 also gives one
 *       {@link FailureKind#FATAL} {@link HarnessEvent.Error} at once, since the CLI would go on
 *       retrying bad credentials for minutes (see {@link FailureClassifier}).
 *   <li>{@code result} gives {@link HarnessEvent.Result}, and when it is not a success an {@link
 *       HarnessEvent.Error}: {@code error_max_turns} is {@link FailureKind#MAX_TURNS}.
 *   <li>An exit without a result and without an error is a crash: {@link FailureKind#TRANSIENT}.
 *   <li>Lines of sub-agents ({@code parent_tool_use_id} set) belong to their parent's tool call
 *       and are skipped; lines that are not JSON objects are skipped and counted; other line
 *       types are skipped.
 * </ul>
 *
 * At most one {@link HarnessEvent.Error} is emitted per attempt.
 */
public final class ClaudeStreamJsonParser extends JsonLinesParser {

  private int completedTurns;
  private TurnAssembler turn;
  private boolean resultSeen;
  private boolean errorEmitted;
  private int lastRetryStatus;
  /** The message the model is streaming ({@code message_start}) and its usage so far. */
  private String streamingMessageId = "";
  private JsonNode streamingUsage;
  /** Final usages from {@code message_delta}, by message id: later lines of a message keep it. */
  private final Map<String, Usage> finalUsage = new HashMap<>();

  /** @param startTurnNumber turns completed by earlier attempts; the first turn here is one more */
  public ClaudeStreamJsonParser(int startTurnNumber) {
    super(startTurnNumber);
  }

  @Override
  protected void onObject(JsonNode node, List<HarnessEvent> events) {
    switch (node.path("type").asText("")) {
      case "system" -> onSystem(node, events);
      case "assistant" -> onAssistant(node, events);
      case "user" -> onUser(node, events);
      case "result" -> onResult(node, events);
      case "stream_event" -> onStreamEvent(node);
      default -> {}
    }
  }

  @Override
  public List<HarnessEvent> onExit(int exitCode) {
    if (resultSeen || errorEmitted) return List.of();
    errorEmitted = true;
    return List.of(HarnessJson.exitWithoutResult(exitCode));
  }

  /** Turns completed in this attempt so far. */
  public int completedTurns() {
    return completedTurns;
  }

  private void onSystem(JsonNode node, List<HarnessEvent> events) {
    switch (node.path("subtype").asText("")) {
      case "init" -> events.add(
          new HarnessEvent.SessionStarted(
              node.path("session_id").asText(""), node.path("model").asText("")));
      case "api_retry" -> {
        if (turn != null && turn.allToolCallsAnswered()) completeTurn(events);
        int status = node.path("error_status").asInt(0);
        lastRetryStatus = status;
        events.add(
            new HarnessEvent.Retrying(
                node.path("attempt").asInt(0),
                node.path("max_retries").asInt(0),
                node.path("retry_delay_ms").asLong(0),
                status,
                node.path("error").asText("")));
        if (!errorEmitted && FailureClassifier.forHttpStatus(status) == FailureKind.FATAL) {
          errorEmitted = true;
          events.add(
              new HarnessEvent.Error(
                  FailureKind.FATAL,
                  "model API refused the request: HTTP " + status + " "
                      + node.path("error").asText("")));
        }
      }
      default -> {}
    }
  }

  private void onAssistant(JsonNode node, List<HarnessEvent> events) {
    if (isSubAgent(node)) return;
    JsonNode message = node.path("message");
    String messageId = message.path("id").asText("");
    boolean sameMessage = turn != null && !messageId.isEmpty() && turn.hasMessage(messageId);
    if (!sameMessage) {
      if (turn != null) completeTurn(events);
      turn = new TurnAssembler();
    }
    Usage known = finalUsage.get(messageId);
    turn.messageUsage(messageId, known != null ? known : ClaudeJson.usage(message.path("usage")));
    for (JsonNode block : message.path("content")) {
      switch (block.path("type").asText("")) {
        case "text" -> {
          String text = block.path("text").asText("");
          if (text.isEmpty()) continue;
          turn.add(new TurnItem.Message(messageId, text));
          events.add(new HarnessEvent.AssistantMessage(messageId, text));
        }
        case "tool_use" -> {
          String id = block.path("id").asText("");
          String name = block.path("name").asText("");
          String input = HarnessJson.compact(block.get("input"));
          turn.add(new TurnItem.ToolCall(id, name, input));
          events.add(new HarnessEvent.ToolCall(id, name, input));
        }
        default -> {}
      }
    }
  }

  /**
   * A raw event of the model's stream: {@code message_start} names the message and its first
   * usage, {@code message_delta} its final one.
   */
  private void onStreamEvent(JsonNode node) {
    if (isSubAgent(node)) return;
    JsonNode event = node.path("event");
    switch (event.path("type").asText("")) {
      case "message_start" -> {
        streamingMessageId = event.path("message").path("id").asText("");
        streamingUsage = event.path("message").path("usage");
      }
      case "message_delta" -> {
        String messageId = node.path("api_message_id").asText(streamingMessageId);
        JsonNode delta = event.path("usage");
        if (messageId.isEmpty() || !delta.isObject()) return;
        ObjectNode merged = HarnessJson.MAPPER.createObjectNode();
        if (messageId.equals(streamingMessageId) && streamingUsage != null && streamingUsage.isObject())
          merged.setAll((ObjectNode) streamingUsage);
        delta.fields().forEachRemaining(f -> {
          if (!f.getValue().isNull()) merged.set(f.getKey(), f.getValue());
        });
        Usage usage = ClaudeJson.usage(merged);
        finalUsage.put(messageId, usage);
        if (turn != null && turn.hasMessage(messageId)) turn.messageUsage(messageId, usage);
      }
      default -> {}
    }
  }

  private void onUser(JsonNode node, List<HarnessEvent> events) {
    if (isSubAgent(node)) return;
    JsonNode content = node.path("message").path("content");
    if (!content.isArray()) return;
    for (JsonNode block : content) {
      if (!"tool_result".equals(block.path("type").asText(""))) continue;
      String id = block.path("tool_use_id").asText("");
      String text = ClaudeJson.toolResultContent(block.get("content"));
      boolean isError = block.path("is_error").asBoolean(false);
      if (turn == null) turn = new TurnAssembler();
      turn.add(new TurnItem.ToolResult(id, text, isError));
      events.add(new HarnessEvent.ToolResult(id, text, isError));
    }
    // With the raw stream (--include-partial-messages) the parser knows when each model message
    // ended: once they all have and every tool call has its result, the turn is whole. Journal it
    // now rather than when the model next speaks, seconds later, so a crash in between loses no
    // tool call that already ran. Without the raw stream, the next message or the result closes it.
    if (turn != null && turn.allToolCallsAnswered() && turn.allMessagesEnded(finalUsage.keySet())) completeTurn(events);
  }

  private void onResult(JsonNode node, List<HarnessEvent> events) {
    if (turn != null) completeTurn(events);
    resultSeen = true;
    HarnessEvent.Result result = ClaudeJson.result(node);
    events.add(result);
    if (!result.success() && !errorEmitted) {
      errorEmitted = true;
      events.add(ClaudeJson.failure(node, lastRetryStatus));
    }
  }

  private void completeTurn(List<HarnessEvent> events) {
    completedTurns++;
    events.add(new HarnessEvent.TurnCompleted(turn.build(startTurnNumber + completedTurns)));
    turn = null;
  }

  private static boolean isSubAgent(JsonNode node) {
    JsonNode parent = node.get("parent_tool_use_id");
    return parent != null && !parent.isNull();
  }
}
