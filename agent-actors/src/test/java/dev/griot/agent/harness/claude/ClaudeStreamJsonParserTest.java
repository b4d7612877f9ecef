package dev.griot.agent.harness.claude;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessEvent.AssistantMessage;
import dev.griot.agent.harness.HarnessEvent.Error;
import dev.griot.agent.harness.HarnessEvent.Result;
import dev.griot.agent.harness.HarnessEvent.Retrying;
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
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The stream-json parser against the real captured Claude Code transcripts. */
class ClaudeStreamJsonParserTest {

  private static final String BASH_SESSION = "377be3c1-e8df-43d2-88f5-15a269f1f24c";

  /** Feeds every line of {@code file}, then the exit. */
  private static List<HarnessEvent> parse(String file, int startTurn, int exitCode) {
    ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser(startTurn);
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : Transcripts.lines(file)) events.addAll(parser.onLine(line));
    events.addAll(parser.onExit(exitCode));
    assertEquals(0, parser.malformedLines(), file);
    return events;
  }

  private static <T> List<T> only(List<HarnessEvent> events, Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static Stream<String> claudeStreamFiles() {
    return Transcripts.claudeStreamFiles();
  }

  @ParameterizedTest
  @MethodSource("claudeStreamFiles")
  void everyTranscriptStartsASessionAndEndsInAResultOrAnError(String file) {
    int exitCode = switch (file) {
      case "claude-max-turns.jsonl" -> 1;
      case "claude-auth-retry.jsonl" -> 143; // retries for minutes: the supervisor kills it
      default -> 0;
    };
    List<HarnessEvent> events = parse(file, 0, exitCode);

    SessionStarted started = assertInstanceOf(SessionStarted.class, events.get(0));
    assertEquals("claude-opus-5-5", started.model());
    assertEquals(36, started.sessionId().length());
    assertTrue(
        !only(events, Result.class).isEmpty() || !only(events, Error.class).isEmpty(), file);
    List<Integer> numbers = only(events, TurnCompleted.class).stream().map(t -> t.turn().number()).toList();
    for (int i = 0; i < numbers.size(); i++) assertEquals(i + 1, numbers.get(i), file);
  }

  @Test
  void textTranscript() {
    List<HarnessEvent> events = parse("claude-text.jsonl", 0, 0);

    String text = "Hello from the stub model. Turns so far: 2";
    assertEquals(
        List.of(
            new SessionStarted(BASH_SESSION, "claude-opus-5-5"),
            new AssistantMessage("msg_stub_1", text),
            new TurnCompleted(
                new Turn(1, List.of(new TurnItem.Message("msg_stub_1", text)), new Usage(11, 1, 0, 0))),
            new Result(true, "success", text, new Usage(11, 7, 0, 0), 0.00018399999999999997, 1)),
        events);
  }

  @Test
  void bashToolTranscript() {
    List<HarnessEvent> events = parse("claude-bash-tool.jsonl", 0, 0);

    String input = "{\"command\":\"echo hello-from-sandbox\",\"description\":\"say hello\"}";
    String answer = "The command printed hello-from-sandbox.";
    Turn first =
        new Turn(
            1,
            List.of(
                new TurnItem.ToolCall("toolu_stub_1", "Bash", input),
                new TurnItem.ToolResult("toolu_stub_1", "hello-from-sandbox", false)),
            new Usage(11, 1, 0, 0));
    Turn second =
        new Turn(2, List.of(new TurnItem.Message("msg_stub_2", answer)), new Usage(11, 1, 0, 0));
    assertEquals(
        List.of(
            new SessionStarted(BASH_SESSION, "claude-opus-5-5"),
            new ToolCall("toolu_stub_1", "Bash", input),
            new ToolResult("toolu_stub_1", "hello-from-sandbox", false),
            new TurnCompleted(first),
            new AssistantMessage("msg_stub_2", answer),
            new TurnCompleted(second),
            new Result(true, "success", answer, new Usage(22, 14, 0, 0), 0.000552, 2)),
        events);
    Usage perTurn = first.usage().plus(second.usage());
    assertEquals(new Usage(22, 2, 0, 0), perTurn);
  }

  @Test
  void turnNumbersContinueFromEarlierAttempts() {
    List<HarnessEvent> events = parse("claude-bash-tool.jsonl", 12, 0);

    assertEquals(
        List.of(13, 14),
        only(events, TurnCompleted.class).stream().map(t -> t.turn().number()).toList());
  }

  @Test
  void mcpToolTranscript() {
    List<HarnessEvent> events = parse("claude-mcp-tool.jsonl", 0, 0);

    assertEquals(
        List.of(new ToolCall("toolu_stub_1", "mcp__hello__hello", "{\"name\":\"Claude\"}")),
        only(events, ToolCall.class));
    assertEquals(
        List.of(new ToolResult("toolu_stub_1", "Hello, Claude!", false)),
        only(events, ToolResult.class));
    assertEquals(2, only(events, TurnCompleted.class).size());
    Result result = only(events, Result.class).get(0);
    assertTrue(result.success());
    assertEquals("Tool said: [{\"type\":\"text\",\"text\":\"Hello, Claude!\"}]", result.text());
    assertEquals(0.00036799999999999995, result.costUsd());
  }

  @Test
  void maxTurnsTranscriptFailsWithMaxTurns() {
    List<HarnessEvent> events = parse("claude-max-turns.jsonl", 0, 1);

    assertEquals(1, only(events, TurnCompleted.class).size());
    Result result = only(events, Result.class).get(0);
    assertEquals(
        new Result(
            false,
            "error_max_turns",
            "Reached maximum number of turns (1)",
            new Usage(11, 7, 0, 0),
            0.00018399999999999997,
            2),
        result);
    assertEquals(
        List.of(new Error(FailureKind.MAX_TURNS, "Reached maximum number of turns (1)")),
        only(events, Error.class));
    assertEquals(result, events.get(events.size() - 2));
  }

  @Test
  void authRetryTranscriptIsFatalAtTheFirst401() {
    List<HarnessEvent> events = parse("claude-auth-retry.jsonl", 0, 143);

    List<Retrying> retries = only(events, Retrying.class);
    assertEquals(7, retries.size());
    for (int i = 0; i < retries.size(); i++) {
      assertEquals(i + 1, retries.get(i).attempt());
      assertEquals(10, retries.get(i).maxRetries());
      assertEquals(401, retries.get(i).errorStatus());
      assertEquals("authentication_failed", retries.get(i).error());
    }
    assertEquals(552, retries.get(0).retryDelayMs());
    assertEquals(38110, retries.get(6).retryDelayMs());
    List<Error> errors = only(events, Error.class);
    assertEquals(1, errors.size(), "one error, though the CLI goes on retrying and is killed");
    assertEquals(FailureKind.FATAL, errors.get(0).kind());
    assertInstanceOf(Retrying.class, events.get(1));
    assertEquals(errors.get(0), events.get(2));
    assertTrue(only(events, TurnCompleted.class).isEmpty());
  }

  @Test
  void crashWithoutResultIsTransientAndLosesTheOpenTurn() {
    List<String> lines = Transcripts.lines("claude-bash-tool.jsonl");
    ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser(0);
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : lines.subList(0, 4)) events.addAll(parser.onLine(line));
    events.addAll(parser.onExit(137));

    assertEquals(1, only(events, TurnCompleted.class).size(), "turn 2 never completed");
    assertEquals(
        List.of(new Error(FailureKind.TRANSIENT, "harness exited with code 137")),
        only(events, Error.class));
    assertTrue(only(events, Result.class).isEmpty());
  }

  @Test
  void malformedLinesAreCountedNeverThrown() {
    ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser(0);

    for (String bad : List.of("not json", "{\"type\":", "[1,2,3]", "42", "\u0000\u0001"))
      assertEquals(List.of(), parser.onLine(bad));
    assertEquals(List.of(), parser.onLine(""));
    assertEquals(List.of(), parser.onLine("{\"type\":\"stream_event\"}"));
    assertEquals(List.of(), parser.onLine("{\"type\":\"assistant\",\"message\":42}"));

    assertEquals(5, parser.malformedLines());
  }

  @Test
  void oneMessageOverSeveralLinesIsOneTurnWithItsUsageCountedOnce() {
    ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser(0);
    String usage = "\"usage\":{\"input_tokens\":5,\"output_tokens\":3}";
    List<HarnessEvent> events = new ArrayList<>();
    events.addAll(parser.onLine(
        "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"text\",\"text\":\"let me look\"}]," + usage + "}}"));
    events.addAll(parser.onLine(
        "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Read\",\"input\":{\"path\":\"a\"}}]," + usage + "}}"));
    events.addAll(parser.onLine(
        "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"oops\",\"is_error\":true}]}}"));
    events.addAll(parser.onLine(
        "{\"type\":\"assistant\",\"parent_tool_use_id\":\"t1\",\"message\":{\"id\":\"sub\",\"content\":[{\"type\":\"text\",\"text\":\"sub-agent\"}]}}"));
    events.addAll(parser.onLine(
        "{\"type\":\"assistant\",\"message\":{\"id\":\"m2\",\"content\":[{\"type\":\"text\",\"text\":\"done\"}]," + usage + "}}"));

    List<Turn> turns = only(events, TurnCompleted.class).stream().map(TurnCompleted::turn).toList();
    assertEquals(
        List.of(
            new Turn(
                1,
                List.of(
                    new TurnItem.Message("m1", "let me look"),
                    new TurnItem.ToolCall("t1", "Read", "{\"path\":\"a\"}"),
                    new TurnItem.ToolResult("t1", "oops", true)),
                new Usage(5, 3, 0, 0))),
        turns);
  }

  @Test
  void overloadRetryAfterAnsweredToolCallsCompletesTheTurnAndStaysTransient() {
    List<String> lines = Transcripts.lines("claude-bash-tool.jsonl");
    ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser(0);
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : lines.subList(0, 3)) events.addAll(parser.onLine(line));
    events.addAll(parser.onLine(
        "{\"type\":\"system\",\"subtype\":\"api_retry\",\"attempt\":1,\"max_retries\":10,\"retry_delay_ms\":500,\"error_status\":529,\"error\":\"overloaded_error\"}"));
    events.addAll(parser.onExit(1));

    assertInstanceOf(TurnCompleted.class, events.get(events.size() - 3));
    assertEquals(new Retrying(1, 10, 500, 529, "overloaded_error"), events.get(events.size() - 2));
    assertEquals(new Error(FailureKind.TRANSIENT, "harness exited with code 1"), events.get(events.size() - 1));
  }
  /**
   * Claude Code 2.1.330 with {@code --include-partial-messages} (as the adapter runs it), captured
   * against a fake model that reported 20 in / 5 out tokens for the tool call and 30 / 9 for the
   * answer: the {@code assistant} lines say 1 output token (the {@code message_start} usage), the
   * {@code message_delta} stream events the real count, so the turns sum to the result's usage.
   */
  @Test
  void partialMessagesGiveEachTurnItsFinalUsage() {
    List<HarnessEvent> events = parse("claude-partial-bash-tool.jsonl", 0, 0);

    List<TurnCompleted> turns = only(events, TurnCompleted.class);
    assertEquals(2, turns.size());
    assertEquals(new Usage(20, 5, 0, 0), turns.get(0).turn().usage());
    assertEquals(new Usage(30, 9, 0, 0), turns.get(1).turn().usage());
    assertEquals(
        List.of(
            new TurnItem.ToolCall("toolu_stub_1", "Bash", "{\"command\":\"echo hello-from-sandbox\",\"description\":\"say hello\"}"),
            new TurnItem.ToolResult("toolu_stub_1", "hello-from-sandbox", false)),
        turns.get(0).turn().items());
    Result result = only(events, Result.class).get(0);
    assertEquals(new Usage(50, 14, 0, 0), result.usage());
    assertEquals(result.usage(), turns.get(0).turn().usage().plus(turns.get(1).turn().usage()));
    assertEquals("The command printed hello-from-sandbox.", result.text());
    assertTrue(result.success());
  }

  /**
   * With the raw stream, a turn is whole once its message ended and every tool call has its
   * result: it is journaled on the tool result's line, not seconds later when the model speaks
   * again, so a crash in between loses no tool call that already ran.
   */
  @Test
  void withPartialMessagesATurnEndsAtItsLastToolResult() {
    ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser(0);
    List<String> lines = Transcripts.lines("claude-partial-bash-tool.jsonl");
    int toolResult = -1;
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("\"tool_result\"")) toolResult = i;
    for (int i = 0; i < toolResult; i++)
      assertEquals(List.of(), only(parser.onLine(lines.get(i)), TurnCompleted.class), "line " + (i + 1));
    List<TurnCompleted> atResult = only(parser.onLine(lines.get(toolResult)), TurnCompleted.class);
    assertEquals(1, atResult.size(), "the first turn ends on its tool result's line");
    assertEquals(new Usage(20, 5, 0, 0), atResult.get(0).turn().usage());
    assertEquals(2, atResult.get(0).turn().items().size());
  }

  @Test
  void aMessageDeltaOverridesOnlyTheFieldsItCarries() {
    ClaudeStreamJsonParser parser = new ClaudeStreamJsonParser(0);
    List<HarnessEvent> events = new ArrayList<>();
    for (String line : List.of(
        "{\"type\":\"stream_event\",\"event\":{\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"usage\":{\"input_tokens\":7,\"output_tokens\":1,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":3}}},\"parent_tool_use_id\":null}",
        "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":7,\"output_tokens\":1,\"cache_read_input_tokens\":100,\"cache_creation_input_tokens\":3}},\"parent_tool_use_id\":null}",
        // a sub-agent's stream is its parent tool call's business
        "{\"type\":\"stream_event\",\"event\":{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":999}},\"parent_tool_use_id\":\"toolu_x\",\"api_message_id\":\"m1\"}",
        "{\"type\":\"stream_event\",\"event\":{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":42,\"cache_read_input_tokens\":null}},\"parent_tool_use_id\":null}",
        "{\"type\":\"result\",\"subtype\":\"success\",\"is_error\":false,\"result\":\"hi\",\"usage\":{}}"))
      events.addAll(parser.onLine(line));
    assertEquals(new Usage(7, 42, 100, 3), only(events, TurnCompleted.class).get(0).turn().usage());
  }
}
