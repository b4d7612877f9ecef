package dev.griot.agent.harness.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessEvent.Error;
import dev.griot.agent.harness.HarnessEvent.Result;
import dev.griot.agent.harness.HarnessEvent.SessionStarted;
import dev.griot.agent.harness.Transcripts;
import dev.griot.agent.harness.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code gemini -p -o json}, against the real captured output. */
class GeminiJsonResultParserTest {

  private static List<HarnessEvent> feed(List<String> lines, int exitCode) {
    GeminiJsonResultParser parser = new GeminiJsonResultParser();
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : lines) events.addAll(parser.onLine(line));
    assertEquals(List.of(), events); // the object spans many lines: read at the exit
    events.addAll(parser.onExit(exitCode));
    return events;
  }

  @Test
  void parsesThePrettyPrintedObject() {
    assertEquals(
        List.of(
            new SessionStarted("183ad689-f619-4620-b9b9-12ba8d12d5f8", "stub"),
            new Result(true, "success", "Hello from the gemini stub. Contents: 3", new Usage(18, 8, 0, 0), 0.0, 1)),
        feed(Transcripts.lines("gemini-json-result.json"), 0));
  }

  @Test
  void anErrorObjectIsAFailure() {
    List<HarnessEvent> events = feed(List.of(
        "{", "  \"session_id\": \"s\",",
        "  \"error\": {\"type\": \"FatalInputError\", \"message\": \"No input provided\", \"code\": 42}", "}"), 42);

    assertEquals(
        List.of(
            new SessionStarted("s", ""),
            new Result(false, "FatalInputError", "No input provided", Usage.ZERO, 0.0, 0),
            new Error(FailureKind.FATAL, "No input provided")),
        events);
  }

  @Test
  void noObjectLeavesItToTheExitCode() {
    GeminiJsonResultParser parser = new GeminiJsonResultParser();
    parser.onLine("Segmentation fault");

    assertEquals(List.of(new Error(FailureKind.MAX_TURNS, "gemini reached its turn limit (exit 53)")), parser.onExit(53));
    assertEquals(1, parser.malformedLines());
  }
}
