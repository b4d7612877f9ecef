package dev.griot.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the OpenAI Responses API, enough for the real Codex CLI (seen with 0.169.0) on a
 * custom model provider with {@code wire_api = "responses"}: {@code POST …/responses} (always
 * {@code "stream": true}) is answered with the server-sent events of one response ({@code
 * response.created}, {@code response.output_item.added}, a text delta for a message, {@code
 * response.output_item.done}, {@code response.completed} with the usage); anything else gets 404.
 *
 * <p>The model's behaviour: while the conversation does not end with a {@code
 * function_call_output}, and {@link #toolCommand} is set, it calls Codex's shell tool ({@code
 * exec_command}, or {@code shell_command}/{@code shell}, whichever the request offers) to run that
 * command; once the output is there it answers {@link #answer}. Usage: {@value #TOOL_INPUT} input
 * ({@value #TOOL_CACHED} of them cached) and {@value #TOOL_OUTPUT} output tokens for the tool call,
 * {@value #TEXT_INPUT} ({@value #TEXT_CACHED}) and {@value #TEXT_OUTPUT} for the text. It records
 * every request with the {@code Authorization} header it carried.
 */
final class FakeOpenAiResponsesServer extends FakeModelServer {

  static final int TOOL_INPUT = 20, TOOL_CACHED = 4, TOOL_OUTPUT = 5;
  static final int TEXT_INPUT = 30, TEXT_CACHED = 6, TEXT_OUTPUT = 9;

  /** One request as it reached the model: its {@code Authorization} header and its JSON body. */
  record Seen(String method, String path, String authorization, JsonNode body) {

    /** Short: the body is tens of kilobytes of instructions and tool definitions. */
    @Override
    public String toString() {
      return method + " " + path + " authorization=" + authorization + (isResponses() ? " user texts " + userTexts().size()
          + ", tool calls " + toolCallIds() + ", tool outputs " + toolOutputs().size() : "");
    }

    boolean isResponses() {
      return method.equals("POST") && path.endsWith("/responses");
    }

    /** The texts of the conversation's user messages, in order. */
    List<String> userTexts() {
      List<String> texts = new ArrayList<>();
      for (JsonNode item : body.path("input"))
        if (item.path("type").asText().equals("message") && item.path("role").asText().equals("user"))
          for (JsonNode c : item.path("content"))
            if (c.path("type").asText().equals("input_text")) texts.add(c.path("text").asText());
      return texts;
    }

    /** The outputs of the conversation's function calls, in order. */
    List<String> toolOutputs() {
      List<String> outputs = new ArrayList<>();
      for (JsonNode item : body.path("input"))
        if (item.path("type").asText().equals("function_call_output")) {
          JsonNode out = item.path("output");
          outputs.add(out.isTextual() ? out.asText() : out.toString());
        }
      return outputs;
    }

    /** The call ids of the conversation's function calls (asked for by the model earlier). */
    List<String> toolCallIds() {
      List<String> ids = new ArrayList<>();
      for (JsonNode item : body.path("input"))
        if (item.path("type").asText().equals("function_call")) ids.add(item.path("call_id").asText());
      return ids;
    }

    /** Whether the conversation ends with a function call's output. */
    boolean answersATool() {
      JsonNode input = body.path("input");
      return input.size() > 0 && input.get(input.size() - 1).path("type").asText().equals("function_call_output");
    }
  }

  final List<Seen> requests = new CopyOnWriteArrayList<>();

  FakeOpenAiResponsesServer() throws IOException {
    super("Hello from the fake Codex model.");
  }

  /** The requests to the Responses API. */
  List<Seen> responseRequests() {
    return requests.stream().filter(Seen::isResponses).toList();
  }

  @Override
  void handle(HttpExchange ex) throws IOException {
    try (ex) {
      byte[] raw = ex.getRequestBody().readAllBytes();
      JsonNode body = raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw);
      Seen seen = new Seen(ex.getRequestMethod(), ex.getRequestURI().getPath(),
          String.valueOf(ex.getRequestHeaders().getFirst("authorization")), body);
      requests.add(seen);
      if (seen.isResponses()) respond(ex, seen);
      else {
        byte[] b = "{\"error\":{\"message\":\"not here\",\"type\":\"invalid_request_error\"}}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("content-type", "application/json");
        ex.sendResponseHeaders(404, b.length);
        ex.getResponseBody().write(b);
      }
    }
  }

  private void respond(HttpExchange ex, Seen seen) throws IOException {
    int n = ids.incrementAndGet();
    boolean tool = toolCommand != null && !seen.answersATool();
    String model = seen.body().path("model").asText("gpt-5-codex");
    ObjectNode item;
    if (tool) {
      String[] call = shellCall(seen.body().path("tools"), toolCommand);
      item = JSON.createObjectNode().put("type", "function_call").put("id", "fc_fake_" + n)
          .put("call_id", "call_fake_" + n).put("name", call[0]).put("arguments", call[1]).put("status", "completed");
    } else {
      item = JSON.createObjectNode().put("type", "message").put("id", "msg_fake_" + n).put("role", "assistant")
          .put("status", "completed");
      item.putArray("content").addObject().put("type", "output_text").put("text", answer).putArray("annotations");
    }
    ObjectNode response = JSON.createObjectNode().put("id", "resp_fake_" + n).put("object", "response")
        .put("status", "in_progress").put("model", model);
    response.putArray("output");

    ex.getResponseHeaders().set("content-type", "text/event-stream");
    ex.sendResponseHeaders(200, 0);
    OutputStream os = ex.getResponseBody();
    int seq = 0;
    event(os, JSON.createObjectNode().put("type", "response.created").put("sequence_number", seq++).set("response", response));
    if (stallsHere(tool, seen.answersATool())) return;
    ObjectNode added = item.deepCopy().put("status", "in_progress");
    if (!tool) added.putArray("content");
    event(os, JSON.createObjectNode().put("type", "response.output_item.added").put("sequence_number", seq++)
        .put("output_index", 0).set("item", added));
    if (!tool)
      event(os, JSON.createObjectNode().put("type", "response.output_text.delta").put("sequence_number", seq++)
          .put("item_id", "msg_fake_" + n).put("output_index", 0).put("content_index", 0).put("delta", answer));
    event(os, JSON.createObjectNode().put("type", "response.output_item.done").put("sequence_number", seq++)
        .put("output_index", 0).set("item", item));
    ObjectNode done = response.deepCopy().put("status", "completed");
    done.putArray("output").add(item);
    ObjectNode usage = done.putObject("usage");
    usage.put("input_tokens", tool ? TOOL_INPUT : TEXT_INPUT);
    usage.putObject("input_tokens_details").put("cached_tokens", tool ? TOOL_CACHED : TEXT_CACHED);
    usage.put("output_tokens", tool ? TOOL_OUTPUT : TEXT_OUTPUT);
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", tool ? TOOL_INPUT + TOOL_OUTPUT : TEXT_INPUT + TEXT_OUTPUT);
    event(os, JSON.createObjectNode().put("type", "response.completed").put("sequence_number", seq).set("response", done));
    os.close();
  }

  /** The name and JSON arguments of a call of the shell tool the request offers. */
  private static String[] shellCall(JsonNode tools, String command) throws IOException {
    List<String> names = new ArrayList<>();
    for (JsonNode t : tools) names.add(t.path("name").asText());
    if (names.contains("exec_command"))
      return new String[] {"exec_command", JSON.writeValueAsString(JSON.createObjectNode().put("cmd", command))};
    if (names.contains("shell_command"))
      return new String[] {"shell_command", JSON.writeValueAsString(JSON.createObjectNode().put("command", command))};
    ObjectNode args = JSON.createObjectNode();
    args.putArray("command").add("sh").add("-c").add(command);
    return new String[] {"shell", JSON.writeValueAsString(args)};
  }

  private static void event(OutputStream os, ObjectNode data) throws IOException {
    event(os, data.path("type").asText(), data);
  }
}
