package dev.griot.node;

import static dev.griot.node.GrpcTestClient.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.griot.agent.harness.claude.ClaudeCodeAdapter;
import dev.griot.agent.harness.scripted.ScriptedAdapter;
import dev.griot.grpc.v1.*;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real Claude Code CLI (npm {@code @anthropic-ai/claude-code}, installed into src/test/claude
 * on first use) as a Griot harness: inside the process sandbox, with no network of its own, it
 * reaches {@link FakeAnthropicServer} only through the node's egress gateway, which holds the key.
 * The fake model first has the CLI run {@code env} with its Bash tool, so the sandbox's own
 * environment comes back to the model, and then answers. Tagged {@code real-cli}: run with
 * {@code -Preal-clis} (docs/harnesses.md).
 */
@Tag("real-cli")
class ClaudeCodeHarnessTest {

  private static final Path CLI = Path.of("src/test/claude").toAbsolutePath();
  private static final String KEY = "anthropic-key-only-the-node-knows";
  private static Path program;
  private static FakeAnthropicServer model;
  private static TestNode node;
  private static GrpcTestClient client;

  @BeforeAll
  static void start() throws Exception {
    program = NpmCli.ensureInstalled(CLI, "node_modules/.bin/claude");
    model = new FakeAnthropicServer();
    node = TestNode.start("claude", Map.of(
        "griot.sandbox.egress.routes.anthropic.upstream", model.url(),
        "griot.sandbox.egress.routes.anthropic.credential-header", "x-api-key",
        "griot.sandbox.egress.routes.anthropic.credential", KEY,
        "griot.harnesses.claude-code.read-only-paths", List.of(CLI.resolve("node_modules").toString()),
        "griot.worker.idle-watchdog", "8s"));
    client = node.client();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (model != null) model.close();
  }

  private static SubmitRunRequest.Builder submit(String prompt) {
    return SubmitRunRequest.newBuilder()
        .setHarness("claude-code").setPrompt(prompt)
        .putOptions("program", program.toString())
        .putOptions("model", "claude-sonnet-4-5")
        .putOptions("allowed_tools", "Bash")
        .putOptions("egress", "true")
        .putOptions("base_url", "http://127.0.0.1:8080/anthropic");
  }

  @Test
  void claudeCodeRunsAToolAndAnswersThroughTheEgressGatewayWithoutEverHoldingTheKey() throws Exception {
    model.requests.clear();
    String runId = await(client.runs.submitRun(submit("Say hello")
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1)).build()))
        .getRun().getRunId();
    Run done = client.awaitRun(runId, Duration.ofSeconds(120),
        r -> r.getState() == RunState.RUN_STATE_COMPLETED || r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(RunState.RUN_STATE_COMPLETED, done.getState(), done.getLastFailure());
    assertEquals("Hello from the fake Claude.", done.getResultText());
    assertEquals(ScriptedAdapter.sessionId(runId, 1), done.getSessionId(), "the session id Griot gave the CLI (--session-id)");
    assertEquals(2, done.getCompletedTurns(), "the tool call with its result, then the answer");
    assertEquals(Usage.newBuilder()
            .setInputTokens(FakeAnthropicServer.TOOL_INPUT + FakeAnthropicServer.TEXT_INPUT)
            .setOutputTokens(FakeAnthropicServer.TOOL_OUTPUT + FakeAnthropicServer.TEXT_OUTPUT).build(),
        done.getUsage(), "the model's usage, output tokens from message_delta included");
    assertTrue(done.getCostUsd() > 0, "Claude Code prices its usage: " + done.getCostUsd());

    List<FakeAnthropicServer.Seen> calls = model.messageRequests();
    assertEquals(2, calls.size(), "one model call per turn: " + calls);
    assertTrue(model.requests.stream().allMatch(r -> r.apiKey().equals(KEY)),
        "every request reached the model with the node's key, none with the sandbox's placeholder: " + model.requests);
    assertTrue(calls.get(0).userTexts().stream().anyMatch(t -> t.contains("Say hello")));

    // The sandbox's environment, as the CLI's Bash tool saw it, went back to the model.
    List<String> env = calls.get(1).toolResults();
    assertEquals(1, env.size(), "the result of the env tool call: " + env);
    assertTrue(env.get(0).contains("GRIOT_EGRESS_URL=http://127.0.0.1:8080"), "the tool ran inside the sandbox: " + env.get(0));
    assertFalse(env.get(0).contains(KEY), "the sandbox's environment holds no key: " + env.get(0));
    assertTrue(env.get(0).contains("ANTHROPIC_API_KEY=" + ClaudeCodeAdapter.PLACEHOLDER_KEY + "\n"),
        "only the placeholder the gateway replaces: " + env.get(0));

    List<RunEvent> journal = client.watch(runId, 0);
    List<Turn> turns = journal.stream().filter(RunEvent::hasTurnCompleted).map(RunEvent::getTurnCompleted).toList();
    assertEquals(2, turns.size());
    assertEquals("Bash", turns.get(0).getItems(0).getToolCall().getName());
    assertTrue(turns.get(0).getItems(1).getToolResult().getContent().contains("GRIOT_EGRESS_URL="), "journaled tool result");
    assertEquals("Hello from the fake Claude.", turns.get(1).getItems(0).getMessage().getText());
  }

  @Test
  void aStalledAttemptIsRetriedAndClaudeCodeResumesItsOwnSession() throws Exception {
    model.requests.clear();
    model.hangFirstToolAnswer = true;
    String runId = await(client.runs.submitRun(submit("Tell me a story")
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(2)
                .setInitialBackoff(com.google.protobuf.Duration.newBuilder().setSeconds(1)))
            .build()))
        .getRun().getRunId();
    Run done = client.awaitRun(runId, Duration.ofSeconds(180),
        r -> r.getState() == RunState.RUN_STATE_COMPLETED || r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(RunState.RUN_STATE_COMPLETED, done.getState(), done.getLastFailure());
    assertEquals("Hello from the fake Claude.", done.getResultText());
    assertEquals(2, done.getAttemptsCount(), "the idle watchdog ended the stalled attempt");
    assertEquals(FailureKind.FAILURE_KIND_TIMEOUT, done.getAttempts(0).getFailure());
    assertEquals(ScriptedAdapter.sessionId(runId, 1), done.getSessionId(),
        "the second attempt went on with the first attempt's session (--resume keeps its id)");
    assertEquals(List.of(done.getSessionId()), client.watch(runId, 0).stream().filter(RunEvent::hasSessionCaptured)
        .map(e -> e.getSessionCaptured().getSessionId()).toList(), "one session for both attempts");
    assertTrue(done.getUsage().getInputTokens() > 0 && done.getUsage().getOutputTokens() > 0, "usage recorded: " + done.getUsage());

    List<FakeAnthropicServer.Seen> calls = model.messageRequests();
    assertTrue(calls.size() >= 3, "two calls in the stalled attempt, at least one after: " + calls);
    FakeAnthropicServer.Seen stalled = calls.get(1);
    assertTrue(stalled.answersATool(), "the stalled call carried the tool's result");
    FakeAnthropicServer.Seen resumed = calls.get(2);
    assertEquals(2, resumed.userTexts().stream().filter(t -> t.contains("Tell me a story")).count(),
        "the resumed CLI sent the earlier conversation from its own session file, then the prompt again: " + resumed.userTexts());
    assertEquals(stalled.toolUseIds(), resumed.toolUseIds().subList(0, stalled.toolUseIds().size()),
        "the first attempt's tool call is in the resumed conversation");
    assertTrue(resumed.toolResults().get(0).contains("GRIOT_EGRESS_URL="), "and so is its result: " + resumed.toolResults());
    assertTrue(model.requests.stream().allMatch(r -> r.apiKey().equals(KEY)), "every request with the node's key");
  }
}
