package dev.griot.node;

import static dev.griot.node.GrpcTestClient.await;
import static org.junit.jupiter.api.Assertions.*;

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
 * The real Codex CLI (npm {@code @openai/codex}, installed into src/test/codex on first use) as a
 * Griot harness: inside the process sandbox, with no network of its own, it reaches {@link
 * FakeOpenAiResponsesServer} only through the node's egress gateway, which holds the key. The fake
 * model first has Codex run {@code env} with its shell tool, so the sandbox's own environment
 * comes back to the model, and then answers. Tagged {@code real-cli}: run with {@code -Preal-clis}
 * (docs/harnesses.md).
 */
@Tag("real-cli")
class CodexHarnessTest {

  private static final Path CLI = Path.of("src/test/codex").toAbsolutePath();
  private static final String KEY = "openai-key-only-the-node-knows";
  private static Path program;
  private static FakeOpenAiResponsesServer model;
  private static TestNode node;
  private static GrpcTestClient client;

  @BeforeAll
  static void start() throws Exception {
    program = NpmCli.ensureInstalled(CLI, "node_modules/.bin/codex");
    model = new FakeOpenAiResponsesServer();
    node = TestNode.start("codex", Map.of(
        "griot.sandbox.egress.routes.openai.upstream", model.url(),
        "griot.sandbox.egress.routes.openai.credential-header", "Authorization",
        "griot.sandbox.egress.routes.openai.credential-prefix", "Bearer ",
        "griot.sandbox.egress.routes.openai.credential", KEY,
        "griot.harnesses.codex.read-only-paths", List.of(CLI.resolve("node_modules").toString()),
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
        .setHarness("codex").setPrompt(prompt)
        .putOptions("program", program.toString())
        .putOptions("model", "gpt-5-codex")
        .putOptions("egress", "true")
        .putOptions("base_url", "http://127.0.0.1:8080/openai/v1");
  }

  private static List<String> capturedSessions(String runId) throws Exception {
    return client.watch(runId, 0).stream().filter(RunEvent::hasSessionCaptured)
        .map(e -> e.getSessionCaptured().getSessionId()).toList();
  }

  @Test
  void codexRunsAToolAndAnswersThroughTheEgressGatewayWithoutEverHoldingTheKey() throws Exception {
    model.requests.clear();
    String runId = await(client.runs.submitRun(submit("Say hello")
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1)).build()))
        .getRun().getRunId();
    Run done = client.awaitRun(runId, Duration.ofSeconds(120),
        r -> r.getState() == RunState.RUN_STATE_COMPLETED || r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(RunState.RUN_STATE_COMPLETED, done.getState(), done.getLastFailure());
    assertEquals("Hello from the fake Codex model.", done.getResultText());
    assertFalse(done.getSessionId().isEmpty(), "the thread id is captured");
    assertEquals(1, done.getCompletedTurns(), "a Codex turn is the whole answer to one prompt");
    int cached = FakeOpenAiResponsesServer.TOOL_CACHED + FakeOpenAiResponsesServer.TEXT_CACHED;
    assertEquals(Usage.newBuilder()
            .setInputTokens(FakeOpenAiResponsesServer.TOOL_INPUT + FakeOpenAiResponsesServer.TEXT_INPUT - cached)
            .setCacheReadTokens(cached)
            .setOutputTokens(FakeOpenAiResponsesServer.TOOL_OUTPUT + FakeOpenAiResponsesServer.TEXT_OUTPUT).build(),
        done.getUsage(), "the usage of both model calls");

    List<FakeOpenAiResponsesServer.Seen> calls = model.responseRequests();
    assertEquals(2, calls.size(), "the tool call, then the answer: " + calls);
    assertTrue(model.requests.stream().allMatch(r -> r.authorization().equals("Bearer " + KEY)),
        "every request reached the model with the node's key: " + model.requests);
    assertTrue(calls.get(0).userTexts().stream().anyMatch(t -> t.equals("Say hello")));

    // The sandbox's environment, as Codex's shell tool saw it, went back to the model.
    List<String> env = calls.get(1).toolOutputs();
    assertEquals(1, env.size(), "the output of the env tool call: " + env);
    assertTrue(env.get(0).contains("GRIOT_EGRESS_URL=http://127.0.0.1:8080"), "the tool ran inside the sandbox: " + env.get(0));
    assertFalse(env.get(0).contains(KEY), "the sandbox's environment holds no key: " + env.get(0));

    List<Turn> turns = client.watch(runId, 0).stream().filter(RunEvent::hasTurnCompleted).map(RunEvent::getTurnCompleted).toList();
    assertEquals(1, turns.size());
    TurnItem.ToolCall call = turns.get(0).getItems(0).getToolCall();
    assertEquals("command_execution", call.getName());
    assertTrue(call.getInputJson().contains("env"), call.getInputJson());
    assertTrue(turns.get(0).getItems(1).getToolResult().getContent().contains("GRIOT_EGRESS_URL="), "journaled tool result");
    assertEquals("Hello from the fake Codex model.", turns.get(0).getItems(2).getMessage().getText());
  }

  @Test
  void aStalledAttemptIsRetriedAndCodexResumesItsOwnThread() throws Exception {
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
    assertEquals("Hello from the fake Codex model.", done.getResultText());
    assertEquals(2, done.getAttemptsCount(), "the idle watchdog ended the stalled attempt");
    assertEquals(FailureKind.FAILURE_KIND_TIMEOUT, done.getAttempts(0).getFailure());
    assertEquals(List.of(done.getSessionId()), capturedSessions(runId),
        "the second attempt went on with the first attempt's thread (codex exec resume keeps its id)");
    // Codex reports the thread's usage so far: the resumed attempt's turn also counts the tool call
    // the stalled attempt had finished (recorded in the rollout file), so nothing spent is lost.
    int in = 2 * FakeOpenAiResponsesServer.TOOL_INPUT + FakeOpenAiResponsesServer.TEXT_INPUT;
    int cached = 2 * FakeOpenAiResponsesServer.TOOL_CACHED + FakeOpenAiResponsesServer.TEXT_CACHED;
    assertEquals(Usage.newBuilder().setInputTokens(in - cached).setCacheReadTokens(cached)
            .setOutputTokens(2 * FakeOpenAiResponsesServer.TOOL_OUTPUT + FakeOpenAiResponsesServer.TEXT_OUTPUT).build(),
        done.getUsage(), "the usage of the three model calls that finished");

    List<FakeOpenAiResponsesServer.Seen> calls = model.responseRequests();
    assertTrue(calls.size() >= 3, "two calls in the stalled attempt, at least one after: " + calls);
    FakeOpenAiResponsesServer.Seen stalled = calls.get(1);
    assertTrue(stalled.answersATool(), "the stalled call carried the tool's output");
    FakeOpenAiResponsesServer.Seen resumed = calls.get(2);
    assertEquals(2, resumed.userTexts().stream().filter(t -> t.equals("Tell me a story")).count(),
        "the resumed CLI sent the earlier conversation from its own rollout file, then the prompt again: " + resumed.userTexts());
    assertEquals(stalled.toolCallIds(), resumed.toolCallIds().subList(0, stalled.toolCallIds().size()),
        "the first attempt's tool call is in the resumed conversation");
    assertTrue(resumed.toolOutputs().get(0).contains("GRIOT_EGRESS_URL="), "and so is its output: " + resumed.toolOutputs());
    assertTrue(model.requests.stream().allMatch(r -> r.authorization().equals("Bearer " + KEY)), "every request with the node's key");
  }
}
