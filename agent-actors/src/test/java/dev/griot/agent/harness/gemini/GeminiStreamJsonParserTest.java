package dev.griot.agent.harness.gemini;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessEvent.AssistantMessage;
import dev.griot.agent.harness.HarnessEvent.Error;
import dev.griot.agent.harness.HarnessEvent.Result;
import dev.griot.agent.harness.HarnessEvent.SessionStarted;
import dev.griot.agent.harness.HarnessEvent.ToolCall;
import dev.griot.agent.harness.HarnessEvent.ToolResult;
import dev.griot.agent.harness.HarnessEvent.TurnCompleted;
import dev.griot.agent.harness.Transcripts;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code gemini -p --output-format stream-json} against the real captured output and edge cases. */
class GeminiStreamJsonParserTest {

  static final String SESSION = "183ad689-f619-4620-b9b9-12ba8d12d5f8";
  static final String TS = "\"timestamp\":\"2026-11-22T03:22:16.559Z\"";

  private GeminiStreamJsonParser parser;

  private List<HarnessEvent> feed(List<String> lines, int startTurn, int exitCode) {
    parser = new GeminiStreamJsonParser(startTurn);
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : lines) events.addAll(parser.onLine(line));
    events.addAll(parser.onExit(exitCode));
    return events;
  }

  @Test
  void textTranscript() {
    String text = "Hello from the gemini stub. Contents: 1";
    Usage usage = new Usage(18, 8, 0, 0);

    assertEquals(
        List.of(
            new SessionStarted(SESSION, "auto"),
            new AssistantMessage("gemini-1-1", text),
            new TurnCompleted(new Turn(1, List.of(new TurnItem.Message("gemini-1-1", text)), usage)),
            new Result(true, "success", text, usage, 0.0, 1)),
        feed(Transcripts.lines("gemini-text.jsonl"), 0, 0));
    assertEquals(0, parser.malformedLines());
  }

  @Test
  void aResumedAttemptNumbersOn() {
    List<HarnessEvent> events = feed(Transcripts.lines("gemini-text.jsonl"), 4, 0);

    assertEquals(5, ((TurnCompleted) events.get(2)).turn().number());
    assertEquals("gemini-5-1", ((AssistantMessage) events.get(1)).messageId());
  }

  @Test
  void deltasJoinIntoOneMessageAndToolsSplitTurns() {
    List<HarnessEvent> events = feed(List.of(
        "{\"type\":\"init\"," + TS + ",\"session_id\":\"s1\",\"model\":\"gemini-2.5-pro\"}",
        "{\"type\":\"message\"," + TS + ",\"role\":\"user\",\"content\":\"list files\"}",
        "{\"type\":\"message\"," + TS + ",\"role\":\"assistant\",\"content\":\"Let me \",\"delta\":true}",
        "{\"type\":\"message\"," + TS + ",\"role\":\"assistant\",\"content\":\"look.\",\"delta\":true}",
        "{\"type\":\"tool_use\"," + TS + ",\"tool_name\":\"run_shell_command\",\"tool_id\":\"c1\",\"parameters\":{\"command\":\"ls\"}}",
        "{\"type\":\"tool_result\"," + TS + ",\"tool_id\":\"c1\",\"status\":\"success\",\"output\":\"a.txt\"}",
        "{\"type\":\"message\"," + TS + ",\"role\":\"assistant\",\"content\":\"There is \",\"delta\":true}",
        "{\"type\":\"message\"," + TS + ",\"role\":\"assistant\",\"content\":\"a.txt.\",\"delta\":true}",
        "{\"type\":\"result\"," + TS + ",\"status\":\"success\",\"stats\":{\"total_tokens\":50,\"input_tokens\":40,"
            + "\"output_tokens\":10,\"cached\":15,\"input\":25,\"duration_ms\":9,\"tool_calls\":1}}"), 0, 0);

    Usage usage = new Usage(25, 10, 15, 0);
    assertEquals(
        List.of(
            new SessionStarted("s1", "gemini-2.5-pro"),
            new AssistantMessage("gemini-1-1", "Let me look."),
            new ToolCall("c1", "run_shell_command", "{\"command\":\"ls\"}"),
            new ToolResult("c1", "a.txt", false),
            new TurnCompleted(new Turn(1, List.of(
                new TurnItem.Message("gemini-1-1", "Let me look."),
                new TurnItem.ToolCall("c1", "run_shell_command", "{\"command\":\"ls\"}"),
                new TurnItem.ToolResult("c1", "a.txt", false)), Usage.ZERO)),
            new AssistantMessage("gemini-2-1", "There is a.txt."),
            new TurnCompleted(new Turn(2, List.of(new TurnItem.Message("gemini-2-1", "There is a.txt.")), usage)),
            new Result(true, "success", "There is a.txt.", usage, 0.0, 2)),
        events);
  }

  @Test
  void aFailedToolResultCarriesItsErrorMessage() {
    List<HarnessEvent> events = feed(List.of(
        "{\"type\":\"tool_use\",\"tool_name\":\"read_file\",\"tool_id\":\"c2\",\"parameters\":{\"path\":\"/x\"}}",
        "{\"type\":\"tool_result\",\"tool_id\":\"c2\",\"status\":\"error\",\"output\":\"\","
            + "\"error\":{\"type\":\"FILE_NOT_FOUND\",\"message\":\"File not found: /x\"}}"), 0, 1);

    assertEquals(new ToolResult("c2", "File not found: /x", true), events.get(1));
    assertEquals(new Error(FailureKind.TRANSIENT, "harness exited with code 1"), events.get(2));
  }

  @Test
  void errorResultsAreClassifiedByTheirType() {
    String stats = ",\"stats\":{\"total_tokens\":0,\"input_tokens\":0,\"output_tokens\":0,\"cached\":0,\"input\":0}";
    List<HarnessEvent> turns = feed(List.of(
        "{\"type\":\"result\",\"status\":\"error\",\"error\":{\"type\":\"FatalTurnLimitedError\","
            + "\"message\":\"Reached max session turns for this session.\"}" + stats + "}"), 0, 53);
    assertEquals(
        List.of(
            new Result(false, "FatalTurnLimitedError", "Reached max session turns for this session.", Usage.ZERO, 0.0, 0),
            new Error(FailureKind.MAX_TURNS, "Reached max session turns for this session.")),
        turns);

    List<HarnessEvent> auth = feed(List.of(
        "{\"type\":\"result\",\"status\":\"error\",\"error\":{\"type\":\"ApiError\","
            + "\"message\":\"[API Error: API key not valid. (Status: UNAUTHENTICATED)]\"}" + stats + "}"), 0, 1);
    assertEquals(new Error(FailureKind.FATAL, "[API Error: API key not valid. (Status: UNAUTHENTICATED)]"), auth.get(1));

    List<HarnessEvent> quota = feed(List.of(
        "{\"type\":\"result\",\"status\":\"error\",\"error\":{\"type\":\"ApiError\","
            + "\"message\":\"got status: 429 Too Many Requests\"}" + stats + "}"), 0, 1);
    assertEquals(new Error(FailureKind.TRANSIENT, "got status: 429 Too Many Requests"), quota.get(1));
  }

  @Test
  void errorLinesWarnOrFail() {
    List<HarnessEvent> events = feed(List.of(
        "{\"type\":\"error\",\"severity\":\"warning\",\"message\":\"Loop detected\"}",
        "{\"type\":\"error\",\"severity\":\"error\",\"message\":\"Maximum session turns exceeded\"}"), 0, 0);

    assertEquals(1, parser.warnings());
    assertEquals(List.of(new Error(FailureKind.MAX_TURNS, "Maximum session turns exceeded")), events);
  }

  @ParameterizedTest
  @CsvSource({
    "0, TRANSIENT, harness exited with code 0 without a result",
    "1, TRANSIENT, harness exited with code 1",
    "41, FATAL, gemini refused its credentials (exit 41)",
    "42, FATAL, gemini refused its input (exit 42)",
    "53, MAX_TURNS, gemini reached its turn limit (exit 53)",
    "127, SANDBOX, gemini could not be started: not found or not executable (exit 127)",
    "137, TRANSIENT, harness exited with code 137"
  })
  void anExitWithoutAResultIsReadByItsCode(int exitCode, FailureKind kind, String message) {
    List<String> noResult = Transcripts.lines("gemini-text.jsonl").subList(0, 3);

    List<HarnessEvent> events = feed(noResult, 0, exitCode);

    assertEquals(new Error(kind, message), events.get(events.size() - 1));
    assertEquals(0, events.stream().filter(TurnCompleted.class::isInstance).count());
  }
}
