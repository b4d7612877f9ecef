package dev.griot.agent.harness.codex;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code codex exec --json} (and {@code codex exec resume … --json}), one JSON object per
 * line.
 *
 * <ul>
 *   <li>{@code thread.started} gives {@link HarnessEvent.SessionStarted} with the {@code
 *       thread_id} (what {@code exec resume} takes); Codex does not print the model, so it is
 *       empty.
 *   <li>{@code turn.started} opens a turn; {@code turn.completed} closes it with its {@code usage}:
 *       {@link HarnessEvent.TurnCompleted}. One Codex turn is the whole answer to one prompt,
 *       with every model call and tool call in it.
 *   <li>{@code item.completed} of type {@code agent_message} gives {@link
 *       HarnessEvent.AssistantMessage}; {@code command_execution}, {@code mcp_tool_call}, {@code
 *       file_change} and {@code web_search} give {@link HarnessEvent.ToolCall} (at their {@code
 *       item.started}, or at completion when there was none) and {@link HarnessEvent.ToolResult};
 *       {@code error} items are warnings (counted, see {@link #warnings()}), not failures;
 *       {@code reasoning}, {@code todo_list} and other items are skipped.
 *   <li>{@code turn.failed} and a top-level {@code error} give {@link HarnessEvent.Error}, its
 *       kind read from the HTTP status the message names ({@link HarnessErrorText}), {@link
 *       FailureKind#TRANSIENT} without one. A top-level {@code error} that says Codex reconnects
 *       or retries ({@code "Reconnecting... 2/5"}) is a {@link HarnessEvent.Retrying} instead.
 *   <li>Codex prints no result line: at exit code 0, after at least one completed turn and no
 *       error, the parser gives {@link HarnessEvent.Result} {@code success} with the last agent
 *       message as its text, the attempt's summed usage and cost 0 (Codex reports no cost).
 *   <li>An exit without that and without an earlier error gives {@link FailureKind#TRANSIENT}
 *       {@code harness exited with code <n>} ({@code … with code 0 without a result} for 0).
 * </ul>
 *
 * At most one {@link HarnessEvent.Error} per attempt. A turn still open at the exit is not
 * completed: the next attempt redoes it.
 */
public final class CodexExecJsonParser extends JsonLinesParser {

  private static final Pattern RETRY =
      Pattern.compile("(?i)(?:reconnecting|retrying)\\D*?(\\d+)\\s*/\\s*(\\d+)(?:\\s+in\\s+(\\d+(?:\\.\\d+)?)\\s*(ms|s))?");

  private int completedTurns;
  private List<TurnItem> turn;
  private final Set<String> calledTools = new HashSet<>();
  private Usage total = Usage.ZERO;
  private String lastAgentMessage = "";
  private boolean errorEmitted;
  private int warnings;

  /** @param startTurnNumber turns completed by earlier attempts; the first turn here is one more */
  public CodexExecJsonParser(int startTurnNumber) {
    super(startTurnNumber);
  }

  @Override
  protected void onObject(JsonNode node, List<HarnessEvent> events) {
    switch (node.path("type").asText("")) {
      case "thread.started" -> events.add(
          new HarnessEvent.SessionStarted(node.path("thread_id").asText(""), ""));
      case "turn.started" -> turn = new ArrayList<>();
      case "item.started" -> onItemStarted(node.path("item"), events);
      case "item.completed" -> onItemCompleted(node.path("item"), events);
      case "turn.completed" -> onTurnCompleted(node, events);
      case "turn.failed" -> {
        turn = null;
        fail(node.path("error").path("message").asText("turn failed"), events);
      }
      case "error" -> onError(node.path("message").asText(""), events);
      default -> {}
    }
  }

  @Override
  public List<HarnessEvent> onExit(int exitCode) {
    if (errorEmitted) return List.of();
    if (exitCode == 0 && completedTurns > 0)
      return List.of(
          new HarnessEvent.Result(true, "success", lastAgentMessage, total, 0.0, completedTurns));
    errorEmitted = true;
    return List.of(HarnessJson.exitWithoutResult(exitCode));
  }

  /** How many {@code error} items (warnings, such as unknown model metadata) were seen. */
  public int warnings() {
    return warnings;
  }

  /** Turns completed in this attempt so far. */
  public int completedTurns() {
    return completedTurns;
  }

  private void onItemStarted(JsonNode item, List<HarnessEvent> events) {
    if (isTool(item.path("type").asText(""))) call(item, events);
  }

  private void onItemCompleted(JsonNode item, List<HarnessEvent> events) {
    String id = item.path("id").asText("");
    String type = item.path("type").asText("");
    switch (type) {
      case "agent_message" -> {
        String text = item.path("text").asText("");
        if (text.isEmpty()) return;
        lastAgentMessage = text;
        add(new TurnItem.Message(id, text));
        events.add(new HarnessEvent.AssistantMessage(id, text));
      }
      case "error" -> warnings++;
      default -> {
        if (!isTool(type)) return;
        if (!calledTools.contains(id)) call(item, events);
        String content = toolOutput(item);
        boolean isError = toolFailed(item);
        add(new TurnItem.ToolResult(id, content, isError));
        events.add(new HarnessEvent.ToolResult(id, content, isError));
      }
    }
  }

  private void onTurnCompleted(JsonNode node, List<HarnessEvent> events) {
    Usage usage = usage(node.path("usage"));
    total = total.plus(usage);
    completedTurns++;
    List<TurnItem> items = turn == null ? List.of() : turn;
    events.add(new HarnessEvent.TurnCompleted(new Turn(startTurnNumber + completedTurns, items, usage)));
    turn = null;
  }

  private void onError(String message, List<HarnessEvent> events) {
    Matcher m = RETRY.matcher(message);
    if (m.find()) {
      long delay = 0;
      if (m.group(3) != null) {
        double d = Double.parseDouble(m.group(3));
        delay = Math.round("s".equalsIgnoreCase(m.group(4)) ? d * 1000 : d);
      }
      events.add(
          new HarnessEvent.Retrying(
              Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), delay,
              HarnessErrorText.httpStatusIn(message), message));
      return;
    }
    fail(message.isEmpty() ? "harness reported an error" : message, events);
  }

  private void fail(String message, List<HarnessEvent> events) {
    if (errorEmitted) return;
    errorEmitted = true;
    events.add(new HarnessEvent.Error(HarnessErrorText.kindOf(message), message));
  }

  private void call(JsonNode item, List<HarnessEvent> events) {
    String id = item.path("id").asText("");
    if (!calledTools.add(id)) return;
    String name = toolName(item);
    String input = toolInput(item);
    add(new TurnItem.ToolCall(id, name, input));
    events.add(new HarnessEvent.ToolCall(id, name, input));
  }

  private void add(TurnItem item) {
    if (turn == null) turn = new ArrayList<>();
    turn.add(item);
  }

  private static boolean isTool(String type) {
    return switch (type) {
      case "command_execution", "mcp_tool_call", "file_change", "web_search" -> true;
      default -> false;
    };
  }

  /** {@code command_execution}, {@code file_change}, {@code web_search}; MCP tools as {@code mcp__<server>__<tool>}. */
  private static String toolName(JsonNode item) {
    String type = item.path("type").asText("");
    if (type.equals("mcp_tool_call"))
      return "mcp__" + item.path("server").asText("") + "__" + item.path("tool").asText("");
    return type;
  }

  private static String toolInput(JsonNode item) {
    var input = HarnessJson.MAPPER.createObjectNode();
    switch (item.path("type").asText("")) {
      case "command_execution" -> input.put("command", item.path("command").asText(""));
      case "mcp_tool_call" -> {
        JsonNode args = item.get("arguments");
        return args == null || args.isNull() ? "{}" : HarnessJson.compact(args);
      }
      case "file_change" -> input.set("changes", item.path("changes"));
      case "web_search" -> input.put("query", item.path("query").asText(""));
      default -> {}
    }
    return HarnessJson.compact(input);
  }

  private static String toolOutput(JsonNode item) {
    switch (item.path("type").asText("")) {
      case "command_execution" -> {
        return item.path("aggregated_output").asText("");
      }
      case "mcp_tool_call" -> {
        JsonNode error = item.get("error");
        if (error != null && !error.isNull()) return error.path("message").asText(error.toString());
        List<String> texts = new ArrayList<>();
        for (JsonNode block : item.path("result").path("content")) {
          if ("text".equals(block.path("type").asText())) texts.add(block.path("text").asText(""));
          else texts.add("[" + block.path("type").asText("block") + "]");
        }
        return String.join("\n", texts);
      }
      case "file_change" -> {
        List<String> lines = new ArrayList<>();
        for (JsonNode c : item.path("changes"))
          lines.add(c.path("kind").asText("") + " " + c.path("path").asText(""));
        return String.join("\n", lines);
      }
      default -> {
        return "";
      }
    }
  }

  private static boolean toolFailed(JsonNode item) {
    String status = item.path("status").asText("");
    if (status.equals("failed") || status.equals("declined")) return true;
    JsonNode exit = item.get("exit_code");
    if (exit != null && exit.isNumber() && exit.asInt() != 0) return true;
    JsonNode error = item.get("error");
    return error != null && !error.isNull() && !error.isMissingNode();
  }

  /**
   * A Codex {@code usage}: its {@code input_tokens} include the cached ones, which are counted
   * as cache reads here, as Anthropic's usage does; {@code cache_write_input_tokens} are cache
   * creation. Output tokens include reasoning tokens.
   */
  static Usage usage(JsonNode usage) {
    long input = usage.path("input_tokens").asLong(0);
    long cached = usage.path("cached_input_tokens").asLong(0);
    return new Usage(
        Math.max(0, input - cached),
        usage.path("output_tokens").asLong(0),
        cached,
        usage.path("cache_write_input_tokens").asLong(0));
  }


}
