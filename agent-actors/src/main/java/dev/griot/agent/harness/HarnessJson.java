package dev.griot.agent.harness;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** Reading and writing the JSON lines the harness CLIs print, the same way for every parser. */
public final class HarnessJson {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private HarnessJson() {}

  /** The JSON object in {@code text}, or empty when it holds none (a harness's other output). */
  public static Optional<JsonNode> object(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** {@code node} as one line of JSON; {@code {}} for a missing or null node. */
  public static String compact(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) return "{}";
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      return node.toString();
    }
  }

  /**
   * What a harness that exits without having printed its result means: a crash, worth another
   * attempt.
   */
  public static HarnessEvent.Error exitWithoutResult(int exitCode) {
    return new HarnessEvent.Error(FailureKind.TRANSIENT,
        exitCode == 0 ? "harness exited with code 0 without a result" : "harness exited with code " + exitCode);
  }
}
