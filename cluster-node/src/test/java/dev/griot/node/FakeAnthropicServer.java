package dev.griot.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the Anthropic Messages API, enough for the real Claude Code CLI (seen with
 * 2.1.330): {@code POST /v1/messages?beta=true} with {@code "stream": true} is answered with the
 * server-sent events of one message ({@code message_start}, one content block, {@code
 * message_delta} with the final output tokens, {@code message_stop}); a request without {@code
 * stream} gets the same message as one JSON object; {@code /v1/messages/count_tokens} a count;
 * anything else (the CLI's {@code HEAD /api/hello} connectivity probe) an empty 200.
 *
 * <p>The model's behaviour: while the last user message carries no {@code tool_result}, and
 * {@link #toolCommand} is set, it asks for the {@code Bash} tool to run that command; once a tool
 * result is there it answers {@link #answer}. Usage: {@value #TOOL_INPUT} input and {@value
 * #TOOL_OUTPUT} output tokens for the tool call, {@value #TEXT_INPUT} and {@value #TEXT_OUTPUT} for
 * the text; {@code message_start} reports only one output token, as the real API does, the rest
 * comes in {@code message_delta}. It records every request with the key it carried.
 */
final class FakeAnthropicServer extends FakeModelServer {

  static final int TOOL_INPUT = 20, TOOL_OUTPUT = 5, TEXT_INPUT = 30, TEXT_OUTPUT = 9;

  /** One request as it reached the model: its key ({@code x-api-key}) and its JSON body. */
  record Seen(String method, String path, String apiKey, JsonNode body) {

    /** Short: the body is tens of kilobytes of system prompt and tool definitions. */
    @Override
    public String toString() {
      return method + " " + path + " key=" + apiKey + (isMessages() ? " user texts " + userTexts().size()
          + ", tool uses " + toolUseIds() + ", tool results " + toolResults().size() : "");
    }

    boolean isMessages() {
      return method.equals("POST") && path.endsWith("/v1/messages");
    }

    /** The texts of the conversation's user messages, in order. */
    List<String> userTexts() {
      List<String> texts = new ArrayList<>();
      for (JsonNode m : body.path("messages")) {
        if (!m.path("role").asText().equals("user")) continue;
        if (m.path("content").isTextual()) texts.add(m.path("content").asText());
        for (JsonNode block : m.path("content"))
          if (block.path("type").asText().equals("text")) texts.add(block.path("text").asText());
      }
      return texts;
    }

    /** The contents of the conversation's {@code tool_result} blocks, in order. */
    List<String> toolResults() {
      List<String> results = new ArrayList<>();
      for (JsonNode m : body.path("messages"))
        for (JsonNode block : m.path("content"))
          if (block.path("type").asText().equals("tool_result")) {
            JsonNode c = block.path("content");
            if (c.isTextual()) results.add(c.asText());
            else for (JsonNode part : c) results.add(part.path("text").asText());
          }
      return results;
    }

    /** The ids of the conversation's {@code tool_use} blocks (asked for by the model earlier). */
    List<String> toolUseIds() {
      List<String> ids = new ArrayList<>();
      for (JsonNode m : body.path("messages"))
        for (JsonNode block : m.path("content"))
          if (block.path("type").asText().equals("tool_use")) ids.add(block.path("id").asText());
      return ids;
    }

    /** Whether the last message is the user's and carries a tool result. */
    boolean answersATool() {
      JsonNode messages = body.path("messages");
      if (messages.size() == 0) return false;
      for (JsonNode block : messages.get(messages.size() - 1).path("content"))
        if (block.path("type").asText().equals("tool_result")) return true;
      return false;
    }
  }

  final List<Seen> requests = new CopyOnWriteArrayList<>();

  FakeAnthropicServer() throws IOException {
    super("Hello from the fake Claude.");
  }

  /** The requests to the Messages API. */
  List<Seen> messageRequests() {
    return requests.stream().filter(Seen::isMessages).toList();
  }

  @Override
  void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      String path = ex.getRequestURI().getPath();
      Seen seen = new Seen(ex.getRequestMethod(), path, String.valueOf(ex.getRequestHeaders().getFirst("x-api-key")), body);
      requests.add(seen);
      if (seen.isMessages()) messages(ex, seen);
      else if (path.endsWith("/v1/messages/count_tokens")) send(ex, 200, "application/json", "{\"input_tokens\":" + TEXT_INPUT + "}");
      else if (ex.getRequestMethod().equals("HEAD")) {
        ex.sendResponseHeaders(200, -1);
      } else send(ex, 200, "application/json", "{}");
    }
  }

  private void messages(HttpExchange ex, Seen seen) throws IOException {
    boolean tool = toolCommand != null && !seen.answersATool();
    String msgId = "msg_fake_" + ids.incrementAndGet();
    String model = seen.body().path("model").asText("claude-sonnet-4-5");
    ObjectNode block = JSON.createObjectNode();
    String delta;
    if (tool) {
      block.put("type", "tool_use").put("id", "toolu_fake_" + ids.get()).put("name", "Bash").putObject("input");
      delta = JSON.writeValueAsString(JSON.createObjectNode().put("command", toolCommand).put("description", "show the environment"));
    } else {
      block.put("type", "text").put("text", "");
      delta = answer;
    }
    int in = tool ? TOOL_INPUT : TEXT_INPUT, out = tool ? TOOL_OUTPUT : TEXT_OUTPUT;
    if (!seen.body().path("stream").asBoolean(false)) {
      ObjectNode whole = message(msgId, model, in, out);
      ObjectNode b = block.deepCopy();
      if (tool) b.set("input", JSON.readTree(delta));
      else b.put("text", delta);
      ((ArrayNode) whole.get("content")).add(b);
      whole.put("stop_reason", tool ? "tool_use" : "end_turn");
      send(ex, 200, "application/json", JSON.writeValueAsString(whole));
      return;
    }
    ex.getResponseHeaders().set("content-type", "text/event-stream");
    ex.getResponseHeaders().set("cache-control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream os = ex.getResponseBody();
    event(os, "message_start", JSON.createObjectNode().put("type", "message_start").set("message", message(msgId, model, in, 1)));
    if (stallsHere(tool, seen.answersATool())) return;
    event(os, "content_block_start", JSON.createObjectNode().put("type", "content_block_start").put("index", 0).set("content_block", block));
    ObjectNode d = JSON.createObjectNode();
    if (tool) d.put("type", "input_json_delta").put("partial_json", delta);
    else d.put("type", "text_delta").put("text", delta);
    event(os, "content_block_delta", JSON.createObjectNode().put("type", "content_block_delta").put("index", 0).set("delta", d));
    event(os, "content_block_stop", JSON.createObjectNode().put("type", "content_block_stop").put("index", 0));
    ObjectNode md = JSON.createObjectNode().put("type", "message_delta");
    md.putObject("delta").put("stop_reason", tool ? "tool_use" : "end_turn").putNull("stop_sequence");
    md.putObject("usage").put("output_tokens", out);
    event(os, "message_delta", md);
    event(os, "message_stop", JSON.createObjectNode().put("type", "message_stop"));
    os.close();
  }

  private static ObjectNode message(String id, String model, int in, int out) {
    ObjectNode m = JSON.createObjectNode().put("id", id).put("type", "message").put("role", "assistant").put("model", model);
    m.putArray("content");
    m.putNull("stop_reason");
    m.putNull("stop_sequence");
    m.putObject("usage").put("input_tokens", in).put("output_tokens", out)
        .put("cache_creation_input_tokens", 0).put("cache_read_input_tokens", 0);
    return m;
  }
}
