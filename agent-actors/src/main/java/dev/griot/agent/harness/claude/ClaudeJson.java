package dev.griot.agent.harness.claude;

import com.fasterxml.jackson.databind.JsonNode;
import dev.griot.agent.harness.FailureClassifier;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.Usage;
import java.util.ArrayList;
import java.util.List;

/** Reading the pieces of Claude Code's JSON output that both of its output formats share. */
final class ClaudeJson {

  private ClaudeJson() {}


  /** An Anthropic {@code usage} object. */
  static Usage usage(JsonNode usage) {
    return new Usage(
        usage.path("input_tokens").asLong(0),
        usage.path("output_tokens").asLong(0),
        usage.path("cache_read_input_tokens").asLong(0),
        usage.path("cache_creation_input_tokens").asLong(0));
  }

  /** A {@code result} object as a {@link HarnessEvent.Result}. */
  static HarnessEvent.Result result(JsonNode result) {
    String subtype = result.path("subtype").asText("");
    boolean success = !result.path("is_error").asBoolean(false) && "success".equals(subtype);
    return new HarnessEvent.Result(
        success,
        subtype,
        resultText(result),
        usage(result.path("usage")),
        result.path("total_cost_usd").asDouble(0),
        result.path("num_turns").asInt(0));
  }

  /**
   * The error a failed {@code result} means: {@code error_max_turns} is {@link
   * FailureKind#MAX_TURNS}, {@code error_max_budget_usd} {@link FailureKind#BUDGET}; otherwise
   * the HTTP status of the failed request ({@code api_error_status}, else the last {@code
   * api_retry} status seen) decides, and without one the failure is transient.
   */
  static HarnessEvent.Error failure(JsonNode result, int lastRetryStatus) {
    String subtype = result.path("subtype").asText("");
    String text = resultText(result);
    if ("error_max_turns".equals(subtype))
      return new HarnessEvent.Error(
          FailureKind.MAX_TURNS, text.isEmpty() ? "reached the maximum number of turns" : text);
    if ("error_max_budget_usd".equals(subtype))
      return new HarnessEvent.Error(
          FailureKind.BUDGET, text.isEmpty() ? "reached the maximum budget" : text);
    int status = result.path("api_error_status").asInt(0);
    if (status == 0) status = lastRetryStatus;
    FailureKind kind = status == 0 ? FailureKind.TRANSIENT : FailureClassifier.forHttpStatus(status);
    String message = text.isEmpty() ? "harness reported " + subtype : text;
    return new HarnessEvent.Error(kind, status == 0 ? message : message + " (HTTP " + status + ")");
  }

  /** The final answer, or the reported errors when there is none. */
  static String resultText(JsonNode result) {
    JsonNode text = result.get("result");
    if (text != null && text.isTextual()) return text.asText();
    List<String> errors = new ArrayList<>();
    result.path("errors").forEach(e -> errors.add(e.asText()));
    return String.join("; ", errors);
  }

  /** A {@code tool_result}'s content: a string, or the text of its blocks. */
  static String toolResultContent(JsonNode content) {
    if (content == null || content.isNull() || content.isMissingNode()) return "";
    if (content.isTextual()) return content.asText();
    if (content.isArray()) {
      List<String> texts = new ArrayList<>();
      for (JsonNode block : content) {
        if ("text".equals(block.path("type").asText())) texts.add(block.path("text").asText(""));
        else texts.add("[" + block.path("type").asText("block") + "]");
      }
      return String.join("\n", texts);
    }
    return content.toString();
  }

}
