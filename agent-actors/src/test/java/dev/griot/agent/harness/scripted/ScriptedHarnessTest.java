package dev.griot.agent.harness.scripted;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessEvent.Error;
import dev.griot.agent.harness.HarnessEvent.Result;
import dev.griot.agent.harness.HarnessEvent.Retrying;
import dev.griot.agent.harness.HarnessEvent.SessionStarted;
import dev.griot.agent.harness.HarnessEvent.ToolCall;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessTestRun;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.agent.harness.Transcripts;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.sandbox.ProcessSandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ScriptedHarnessMain} as a real child JVM in a {@link ProcessSandbox}. */
class ScriptedHarnessTest {

  private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool();
  private static final ProcessSandbox SANDBOX = new ProcessSandbox(EXECUTOR);
  private static final ScriptedAdapter ADAPTER = new ScriptedAdapter();

  @TempDir Path workspace;

  @AfterAll
  static void shutdown() {
    EXECUTOR.shutdownNow();
  }

  private HarnessTestRun run(int attempt, Map<String, String> options, Optional<ResumeContext> resume)
      throws Exception {
    HarnessInvocation inv =
        new HarnessInvocation("run-42", attempt, "say hello", workspace, options, resume);
    return HarnessTestRun.run(SANDBOX, ADAPTER, inv);
  }

  private static List<Integer> numbers(HarnessTestRun run) {
    return run.turns().stream().map(Turn::number).toList();
  }

  private static List<Integer> range(int fromInclusive, int toInclusive) {
    return IntStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
  }

  @Test
  void aTranscriptThatIsNotThereIsAFatalFailureNotARetry() throws Exception {
    HarnessTestRun run = run(1, Map.of("transcript", "/no/such/transcript.jsonl"), Optional.empty());
    var errors = run.events(HarnessEvent.Error.class);
    assertEquals(1, errors.size(), run.events().toString());
    assertEquals(FailureKind.FATAL, errors.get(0).kind());
    assertFalse(run.stderr().isEmpty(), "the harness says why on stderr");
  }

  @Test
  void twentyTurnsFromTheBashToolTranscript() throws Exception {
    HarnessTestRun run = run(1, Map.of("turns", "20"), Optional.empty());

    assertEquals(0, run.exitCode(), run.stderr().toString());
    assertEquals(0, run.malformedLines());
    assertEquals(
        new SessionStarted(ScriptedAdapter.sessionId("run-42", 1), "claude-opus-5-5"),
        run.events().get(0));
    assertEquals(range(1, 20), numbers(run));
    Result result = run.events(Result.class).get(0);
    assertTrue(result.success());
    assertEquals(20, result.numTurns());
    assertEquals(0.000552, result.costUsd());
    assertTrue(run.events(Error.class).isEmpty());
    // Odd turns call Bash, even ones answer; every id is unique.
    Turn third = run.turns().get(2);
    assertEquals(
        List.of(
            new TurnItem.ToolCall(
                "toolu_stub_1_3", "Bash",
                "{\"command\":\"echo hello-from-sandbox\",\"description\":\"say hello\"}"),
            new TurnItem.ToolResult("toolu_stub_1_3", "hello-from-sandbox", false)),
        third.items());
    assertEquals(
        List.of(new TurnItem.Message("msg_stub_2_4", "The command printed hello-from-sandbox.")),
        run.turns().get(3).items());
    Path sessionFile =
        workspace.resolve(".home/.claude/projects")
            .resolve(workspace.toRealPath().toString().replace('/', '-'))
            .resolve(ScriptedAdapter.sessionId("run-42", 1) + ".jsonl");
    List<String> kept = Files.readAllLines(sessionFile);
    assertEquals(run.stdout(), kept.stream().filter(l -> !l.contains("griot_scripted_turn")).toList(),
        "the session file Claude Code keeps");
    assertEquals(20, kept.stream().filter(l -> l.contains("griot_scripted_turn")).count(), "a record per turn");
    assertEquals(range(1, 20).stream().map(t -> "turn " + t).toList(), Files.readAllLines(workspace.resolve("scripted-work.log")));
    List<String> toolIds = run.events(ToolCall.class).stream().map(ToolCall::toolCallId).toList();
    assertEquals(10, toolIds.size());
    assertEquals(toolIds.size(), new HashSet<>(toolIds).size());
  }

  @Test
  void resumeContinuesTheSameSessionFromTheNextTurn() throws Exception {
    String session = "5a8f7c1e-0000-4000-8000-000000000012";
    HarnessTestRun run =
        run(2, Map.of("turns", "20"), Optional.of(new ResumeContext(session, 12)));

    assertEquals(0, run.exitCode(), run.stderr().toString());
    assertEquals(new SessionStarted(session, "claude-opus-5-5"), run.events().get(0));
    assertEquals(range(13, 20), numbers(run));
    assertEquals(20, run.events(Result.class).get(0).numTurns());
    assertTrue(run.events(Result.class).get(0).success());
  }

  @Test
  void crashAfterTurnsIsTransientAndTheResumedAttemptFinishes() throws Exception {
    Map<String, String> options = Map.of("turns", "6", "fail_after_turns", "3");

    HarnessTestRun first = run(1, options, Optional.empty());

    assertEquals(1, first.exitCode());
    assertEquals(range(1, 3), numbers(first));
    assertTrue(first.events(Result.class).isEmpty());
    assertEquals(
        List.of(new Error(FailureKind.TRANSIENT, "harness exited with code 1")),
        first.events(Error.class));

    String session = first.events(SessionStarted.class).get(0).sessionId();
    HarnessTestRun second = run(2, options, Optional.of(new ResumeContext(session, 3)));

    assertEquals(0, second.exitCode(), second.stderr().toString());
    assertEquals(session, second.events(SessionStarted.class).get(0).sessionId());
    assertEquals(range(4, 6), numbers(second));
    assertTrue(second.events(Result.class).get(0).success());
  }

  @Test
  void withVerifyResumeAResumedAttemptChecksTheSessionAndWorkspaceItIsHanded() throws Exception {
    Map<String, String> options = Map.of("turns", "6", "fail_after_turns", "3", "verify_resume", "true");
    HarnessTestRun first = run(1, options, Optional.empty());
    assertEquals(range(1, 3), numbers(first));
    String session = first.events(SessionStarted.class).get(0).sessionId();

    HarnessTestRun overclaimed = run(2, options, Optional.of(new ResumeContext(session, 4)));
    assertEquals(List.of(), numbers(overclaimed));
    assertFalse(overclaimed.events(Result.class).get(0).success());
    assertTrue(overclaimed.events(Error.class).get(0).message().contains("resume check failed"), overclaimed.events().toString());
    assertTrue(String.join("\n", overclaimed.stderr()).contains("holds turns [1, 2, 3], expected 1..4"), overclaimed.stderr().toString());

    Files.writeString(workspace.resolve("scripted-work.log"), "turn 1\nturn 2\n");
    HarnessTestRun staleWorkspace = run(2, options, Optional.of(new ResumeContext(session, 3)));
    assertTrue(String.join("\n", staleWorkspace.stderr()).contains("holds 2 line(s)"), staleWorkspace.stderr().toString());

    Files.writeString(workspace.resolve("scripted-work.log"), "turn 1\nturn 2\nturn 3\n");
    HarnessTestRun resumed = run(2, options, Optional.of(new ResumeContext(session, 3)));
    assertEquals(0, resumed.exitCode(), resumed.stderr().toString());
    assertEquals(range(4, 6), numbers(resumed));
  }

  @Test
  void transientModeRetriesOverloadThenExits() throws Exception {
    HarnessTestRun run =
        run(1, Map.of("turns", "5", "fail_after_turns", "2", "fail_mode", "transient"), Optional.empty());

    assertEquals(1, run.exitCode());
    assertEquals(range(1, 2), numbers(run));
    List<Retrying> retries = run.events(Retrying.class);
    assertEquals(3, retries.size());
    assertTrue(retries.stream().allMatch(r -> r.errorStatus() == 529));
    assertEquals(
        List.of(new Error(FailureKind.TRANSIENT, "harness exited with code 1")), run.events(Error.class));
  }

  @Test
  void fatalModeIsAnAuthFailure() throws Exception {
    HarnessTestRun run =
        run(1, Map.of("turns", "5", "fail_after_turns", "1", "fail_mode", "fatal"), Optional.empty());

    assertEquals(1, run.exitCode());
    assertEquals(range(1, 1), numbers(run));
    assertTrue(run.events(Retrying.class).stream().allMatch(r -> r.errorStatus() == 401));
    List<Error> errors = run.events(Error.class);
    assertEquals(1, errors.size());
    assertEquals(FailureKind.FATAL, errors.get(0).kind());
    Result result = run.events(Result.class).get(0);
    assertFalse(result.success());
    assertEquals("error_during_execution", result.subtype());
  }

  @Test
  void failAttemptsDecidesWhichAttemptsFail() throws Exception {
    Map<String, String> options =
        Map.of("turns", "3", "fail_after_turns", "0", "fail_attempts", "2");

    HarnessTestRun second = run(2, options, Optional.empty());
    HarnessTestRun third = run(3, options, Optional.empty());

    assertEquals(1, second.exitCode());
    assertEquals(List.of(), numbers(second));
    assertEquals(FailureKind.TRANSIENT, second.events(Error.class).get(0).kind());
    assertEquals(0, third.exitCode());
    assertEquals(range(1, 3), numbers(third));
    assertEquals(ScriptedAdapter.sessionId("run-42", 3), third.events(SessionStarted.class).get(0).sessionId());
  }

  @Test
  void maxTurnsTranscriptRepeatedEndsInMaxTurns() throws Exception {
    HarnessTestRun run = run(1, Map.of("transcript", "claude-max-turns", "turns", "3"), Optional.empty());

    assertEquals(1, run.exitCode());
    assertEquals(range(1, 3), numbers(run));
    assertEquals("error_max_turns", run.events(Result.class).get(0).subtype());
    assertEquals(FailureKind.MAX_TURNS, run.events(Error.class).get(0).kind());
  }

  @Test
  void transcriptWithoutTurnsIsReplayedAsItIs() throws Exception {
    HarnessTestRun run = run(1, Map.of("transcript", "claude-auth-retry"), Optional.empty());

    assertEquals(1, run.exitCode());
    assertEquals(7, run.events(Retrying.class).size());
    assertEquals(FailureKind.FATAL, run.events(Error.class).get(0).kind());
    assertEquals(ScriptedAdapter.sessionId("run-42", 1), run.events(SessionStarted.class).get(0).sessionId());
  }

  @Test
  void transcriptByAbsolutePath() throws Exception {
    Path file = Files.createTempFile("scripted", ".jsonl");
    try {
      Files.write(file, Transcripts.lines("claude-mcp-tool.jsonl"));
      HarnessTestRun run = run(1, Map.of("transcript", file.toString(), "turns", "4"), Optional.empty());

      assertEquals(0, run.exitCode(), run.stderr().toString());
      assertEquals(range(1, 4), numbers(run));
      Set<String> tools = new HashSet<>();
      run.events(ToolCall.class).forEach(c -> tools.add(c.name()));
      assertEquals(Set.of("mcp__hello__hello"), tools);
      assertEquals("Hello, Claude!", run.events(HarnessEvent.ToolResult.class).get(0).content());
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
