package dev.griot.agent.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What every parser of a CLI's JSON-lines output shares: blank lines are skipped, a line that is
 * not a JSON object (a CLI's stray text) is counted and skipped, never thrown on, and turn numbers
 * continue from the turns earlier attempts completed. A subclass reads each object.
 */
public abstract class JsonLinesParser implements HarnessParser {

  /** Turns completed by earlier attempts; the first turn of this attempt is one more. */
  protected final int startTurnNumber;

  private int malformed;

  protected JsonLinesParser(int startTurnNumber) {
    if (startTurnNumber < 0) throw new IllegalArgumentException("startTurnNumber < 0");
    this.startTurnNumber = startTurnNumber;
  }

  @Override
  public final List<HarnessEvent> onLine(String line) {
    if (line == null || line.isBlank()) return List.of();
    JsonNode node = HarnessJson.object(line).orElse(null);
    if (node == null) {
      malformed++;
      return List.of();
    }
    List<HarnessEvent> events = new ArrayList<>();
    onObject(node, events);
    return events;
  }

  /** Adds the events one JSON object of the CLI's output means. */
  protected abstract void onObject(JsonNode node, List<HarnessEvent> events);

  @Override
  public final int malformedLines() {
    return malformed;
  }
}
