package dev.griot.agent.harness.codex;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code codex exec --json} against the real captured Codex output, and synthetic edge cases. */
class CodexExecJsonParserTest {

  static final String THREAD = "01a20145-b178-7dc0-96ff-9eba309a8b5a";

  private CodexExecJsonParser parser;

  private List<HarnessEvent> parse(String file, int startTurn, int exitCode) {
    return feed(Transcripts.lines(file), startTurn, exitCode);
  }

  private List<HarnessEvent> feed(List<String> lines, int startTurn, int exitCode) {
    parser = new CodexExecJsonParser(startTurn);
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : lines) events.addAll(parser.onLine(line));
    events.addAll(parser.onExit(exitCode));
    return events;
  }

  /** Every {@code codex-*} file of the shared folder (or the bundled copies). */
  static Stream<String> codexFiles() throws IOException {
    if (Files.isDirectory(Transcripts.SHARED)) {
      try (Stream<Path> files = Files.list(Transcripts.SHARED)) {
        return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("codex-")).sorted().toList().stream();
      }
    }
    return Stream.of("codex-resume.jsonl", "codex-text.jsonl");
  }

  @ParameterizedTest
  @MethodSource("codexFiles")
  void everyTranscriptGivesTheThreadOneTurnAndASuccess(String file) {
    List<HarnessEvent> events = parse(file, 0, 0);

    assertEquals(new SessionStarted(THREAD, ""), events.get(0), file);
    assertEquals(1, events.stream().filter(TurnCompleted.class::isInstance).count(), file);
    Result result = assertInstanceOf(Result.class, events.get(events.size() - 1), file);
    assertEquals(true, result.success(), file);
    assertEquals(0, parser.malformedLines(), file);
    assertEquals(1, parser.warnings(), file); // the "Model metadata for `stub-model` not found" item
  }

  @Test
  void textTranscript() {
    String text = "Hello from the codex stub. Input items: 4";
    Usage usage = new Usage(12, 6, 0, 0);

    assertEquals(
        List.of(
            new SessionStarted(THREAD, ""),
            new AssistantMessage("item_1", text),
            new TurnCompleted(new Turn(1, List.of(new TurnItem.Message("item_1", text)), usage)),
            new Result(true, "success", text, usage, 0.0, 1)),
        parse("codex-text.jsonl", 0, 0));
  }

  @Test
  void resumeTranscriptKeepsTheThreadAndNumbersOn() {
    String text = "Hello from the codex stub. Input items: 6";
    Usage usage = new Usage(24, 12, 0, 0);

    assertEquals(
        List.of(
            new SessionStarted(THREAD, ""),
            new AssistantMessage("item_1", text),
            new TurnCompleted(new Turn(2, List.of(new TurnItem.Message("item_1", text)), usage)),
            new Result(true, "success", text, usage, 0.0, 1)),
        parse("codex-resume.jsonl", 1, 0));
  }

  @Test
  void cachedInputTokensAreCacheReads() {
    List<HarnessEvent> events = feed(List.of(
        "{\"type\":\"turn.started\"}",
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":100,\"cached_input_tokens\":80,"
            + "\"cache_write_input_tokens\":5,\"output_tokens\":7,\"reasoning_output_tokens\":3}}"), 0, 0);

    assertEquals(new Usage(20, 7, 80, 5), ((TurnCompleted) events.get(0)).turn().usage());
  }

  @Test
  void commandAndMcpItemsAreToolCallsAndResults() {
    List<HarnessEvent> events = feed(List.of(
        "{\"type\":\"thread.started\",\"thread_id\":\"t1\"}",
        "{\"type\":\"turn.started\"}",
        "{\"type\":\"item.started\",\"item\":{\"id\":\"item_0\",\"type\":\"command_execution\",\"command\":\"bash -lc 'echo hi'\","
            + "\"aggregated_output\":\"\",\"exit_code\":null,\"status\":\"in_progress\"}}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"command_execution\",\"command\":\"bash -lc 'echo hi'\","
            + "\"aggregated_output\":\"hi\\n\",\"exit_code\":0,\"status\":\"completed\"}}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_1\",\"type\":\"mcp_tool_call\",\"server\":\"hello\",\"tool\":\"hello\","
            + "\"arguments\":{\"name\":\"x\"},\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"Hello, x\"}]},\"error\":null,\"status\":\"completed\"}}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_2\",\"type\":\"command_execution\",\"command\":\"false\","
            + "\"aggregated_output\":\"\",\"exit_code\":1,\"status\":\"failed\"}}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_3\",\"type\":\"reasoning\",\"text\":\"thinking\"}}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_4\",\"type\":\"agent_message\",\"text\":\"done\"}}",
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1,\"cached_input_tokens\":0,\"output_tokens\":2}}"), 0, 0);

    List<TurnItem> items = List.of(
        new TurnItem.ToolCall("item_0", "command_execution", "{\"command\":\"bash -lc 'echo hi'\"}"),
        new TurnItem.ToolResult("item_0", "hi\n", false),
        new TurnItem.ToolCall("item_1", "mcp__hello__hello", "{\"name\":\"x\"}"),
        new TurnItem.ToolResult("item_1", "Hello, x", false),
        new TurnItem.ToolCall("item_2", "command_execution", "{\"command\":\"false\"}"),
        new TurnItem.ToolResult("item_2", "", true),
        new TurnItem.Message("item_4", "done"));
    assertEquals(
        List.of(
            new SessionStarted("t1", ""),
            new ToolCall("item_0", "command_execution", "{\"command\":\"bash -lc 'echo hi'\"}"),
            new ToolResult("item_0", "hi\n", false),
            new ToolCall("item_1", "mcp__hello__hello", "{\"name\":\"x\"}"),
            new ToolResult("item_1", "Hello, x", false),
            new ToolCall("item_2", "command_execution", "{\"command\":\"false\"}"),
            new ToolResult("item_2", "", true),
            new AssistantMessage("item_4", "done"),
            new TurnCompleted(new Turn(1, items, new Usage(1, 2, 0, 0))),
            new Result(true, "success", "done", new Usage(1, 2, 0, 0), 0.0, 1)),
        events);
  }

  @Test
  void turnFailedIsClassifiedByItsStatus() {
    List<HarnessEvent> auth = feed(List.of(
        "{\"type\":\"thread.started\",\"thread_id\":\"t1\"}",
        "{\"type\":\"turn.started\"}",
        "{\"type\":\"turn.failed\",\"error\":{\"message\":\"unexpected status 401 Unauthorized: invalid key\"}}"), 0, 1);
    assertEquals(
        List.of(new SessionStarted("t1", ""),
            new Error(FailureKind.FATAL, "unexpected status 401 Unauthorized: invalid key")),
        auth);

    List<HarnessEvent> overloaded = feed(List.of(
        "{\"type\":\"turn.started\"}",
        "{\"type\":\"error\",\"message\":\"unexpected status 503 Service Unavailable\"}",
        "{\"type\":\"turn.failed\",\"error\":{\"message\":\"unexpected status 503 Service Unavailable\"}}"), 0, 1);
    assertEquals(List.of(new Error(FailureKind.TRANSIENT, "unexpected status 503 Service Unavailable")), overloaded);
  }

  @Test
  void reconnectingIsARetryNotAFailure() {
    List<HarnessEvent> events = feed(List.of(
        "{\"type\":\"thread.started\",\"thread_id\":\"t1\"}",
        "{\"type\":\"turn.started\"}",
        "{\"type\":\"error\",\"message\":\"Reconnecting... 2/5\"}",
        "{\"type\":\"item.completed\",\"item\":{\"id\":\"item_0\",\"type\":\"agent_message\",\"text\":\"ok\"}}",
        "{\"type\":\"turn.completed\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"), 0, 0);

    assertEquals(new HarnessEvent.Retrying(2, 5, 0, 0, "Reconnecting... 2/5"), events.get(1));
    assertInstanceOf(Result.class, events.get(events.size() - 1));
  }

  @Test
  void exitWithoutACompletedTurnIsTransient() {
    assertEquals(
        List.of(new SessionStarted(THREAD, ""), new Error(FailureKind.TRANSIENT, "harness exited with code 0 without a result")),
        feed(Transcripts.lines("codex-text.jsonl").subList(0, 3), 0, 0));
    assertEquals(
        List.of(new Error(FailureKind.TRANSIENT, "harness exited with code 137")), feed(List.of("not json"), 0, 137));
    assertEquals(1, parser.malformedLines());
  }

  @Test
  void aCrashAfterACompletedTurnIsNotASuccess() {
    List<HarnessEvent> events = parse("codex-text.jsonl", 0, 1);

    assertEquals(new Error(FailureKind.TRANSIENT, "harness exited with code 1"), events.get(events.size() - 1));
    assertEquals(0, events.stream().filter(Result.class::isInstance).count());
  }
}
