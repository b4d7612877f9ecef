package dev.griot.agent.harness.gemini;

import dev.griot.agent.harness.HarnessJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code gemini -p PROMPT -o json}: one pretty-printed object over many lines, with {@code
 * session_id}, {@code response}, {@code stats} and, on failure, {@code error} ({@code type},
 * {@code message}, {@code code}). The lines are kept and read at the exit; it gives {@link
 * HarnessEvent.SessionStarted} (model: the first of {@code stats.models}), {@link
 * HarnessEvent.Result} (usage summed over the models; turns: the requests of the {@code main}
 * role), and an {@link HarnessEvent.Error} when there is an {@code error}. The format carries no
 * turns, so no {@link HarnessEvent.TurnCompleted}. Without an object, the exit code decides, as
 * for {@link GeminiStreamJsonParser}.
 */
public final class GeminiJsonResultParser implements HarnessParser {

  /** More output than this is not kept (the object is then unreadable, the exit code decides). */
  static final int MAX_CHARS = 8 * 1024 * 1024;

  private final StringBuilder output = new StringBuilder();
  private boolean overflow;

  /** The events the whole output {@code json} means, or empty when it holds no object. */
  public static Optional<List<HarnessEvent>> parse(String json) {
    int start = json.indexOf('{');
    int end = json.lastIndexOf('}');
    if (start < 0 || end < start) return Optional.empty();
    return HarnessJson.object(json.substring(start, end + 1))
        .filter(n -> n.has("session_id") || n.has("response") || n.has("error"))
        .map(GeminiJsonResultParser::events);
  }

  @Override
  public List<HarnessEvent> onLine(String line) {
    if (line == null || overflow) return List.of();
    if (output.length() + line.length() > MAX_CHARS) {
      overflow = true;
      return List.of();
    }
    output.append(line).append('\n');
    return List.of();
  }

  @Override
  public List<HarnessEvent> onExit(int exitCode) {
    Optional<List<HarnessEvent>> events = overflow ? Optional.empty() : parse(output.toString());
    if (events.isEmpty()) return List.of(GeminiJson.exitFailure(exitCode));
    return events.get();
  }

  @Override
  public int malformedLines() {
    return output.length() > 0 && !overflow && parse(output.toString()).isEmpty() ? 1 : 0;
  }

  private static List<HarnessEvent> events(JsonNode node) {
    JsonNode stats = node.path("stats");
    Iterator<String> models = stats.path("models").fieldNames();
    List<HarnessEvent> events = new ArrayList<>();
    events.add(new HarnessEvent.SessionStarted(node.path("session_id").asText(""), models.hasNext() ? models.next() : ""));
    int turns = 0;
    for (JsonNode model : stats.path("models"))
      turns += model.path("roles").path("main").path("totalRequests").asInt(0);
    JsonNode error = node.get("error");
    boolean success = error == null || error.isNull();
    String text = success ? node.path("response").asText("") : error.path("message").asText("");
    String subtype = success ? "success" : error.path("type").asText("error");
    events.add(new HarnessEvent.Result(success, subtype, text, GeminiJson.jsonUsage(stats), 0.0, turns));
    if (!success) events.add(GeminiJson.failure(error));
    return events;
  }
}
