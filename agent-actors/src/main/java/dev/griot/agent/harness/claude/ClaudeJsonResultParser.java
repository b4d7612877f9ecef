package dev.griot.agent.harness.claude;

import dev.griot.agent.harness.HarnessJson;
import com.fasterxml.jackson.databind.JsonNode;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessParser;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Parses {@code claude -p --output-format json}: one {@code result} object on one line. It gives
 * {@link HarnessEvent.SessionStarted} (the model is the first of {@code modelUsage}), {@link
 * HarnessEvent.Result}, and an {@link HarnessEvent.Error} when the result is not a success. The
 * format carries no turns, so no {@link HarnessEvent.TurnCompleted}.
 */
public final class ClaudeJsonResultParser implements HarnessParser {

  private boolean resultSeen;
  private int malformed;

  /** The result object in {@code json}, or empty when it holds none. */
  public static Optional<HarnessEvent.Result> parseResult(String json) {
    return HarnessJson.object(json)
        .filter(n -> "result".equals(n.path("type").asText()))
        .map(ClaudeJson::result);
  }

  @Override
  public List<HarnessEvent> onLine(String line) {
    if (line == null || line.isBlank()) return List.of();
    Optional<JsonNode> parsed = HarnessJson.object(line);
    if (parsed.isEmpty() || !"result".equals(parsed.get().path("type").asText())) {
      malformed++;
      return List.of();
    }
    JsonNode node = parsed.get();
    resultSeen = true;
    List<HarnessEvent> events = new ArrayList<>();
    Iterator<String> models = node.path("modelUsage").fieldNames();
    events.add(
        new HarnessEvent.SessionStarted(
            node.path("session_id").asText(""), models.hasNext() ? models.next() : ""));
    HarnessEvent.Result result = ClaudeJson.result(node);
    events.add(result);
    if (!result.success()) events.add(ClaudeJson.failure(node, 0));
    return events;
  }

  @Override
  public List<HarnessEvent> onExit(int exitCode) {
    if (resultSeen) return List.of();
    return List.of(
        new HarnessEvent.Error(FailureKind.TRANSIENT, "harness exited with code " + exitCode));
  }

  @Override
  public int malformedLines() {
    return malformed;
  }
}
