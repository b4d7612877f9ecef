package dev.griot.node;

import static dev.griot.node.GrpcTestClient.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.griot.grpc.v1.*;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Gemini CLI (npm @google/gemini-cli, installed into src/test/gemini on first use) as a
 * Griot harness: inside the process sandbox, with no network of its own, it reaches a fake Gemini
 * API only through the node's egress gateway, which holds the key. The run completes with the
 * model's answer and its usage.
 */
class GeminiHarnessTest {

  private static final Path CLI = Path.of("src/test/gemini").toAbsolutePath();
  private static final String KEY = "gemini-key-only-the-node-knows";
  private static FakeGeminiServer model;
  private static TestNode node;
  private static GrpcTestClient client;

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isRegularFile(CLI.resolve("node_modules/.bin/gemini"))) {
      // Its output is read here, never inherited: a forked test JVM's own stdout is Surefire's channel.
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(CLI.toFile())
          .redirectErrorStream(true).start();
      String out = new String(npm.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(npm.waitFor(600, TimeUnit.SECONDS) && npm.exitValue() == 0, "npm ci in " + CLI + ":\n" + out);
    }
    model = new FakeGeminiServer();
    node = TestNode.start("gemini", Map.of(
        "griot.sandbox.egress.routes.gemini.upstream", model.url(),
        "griot.sandbox.egress.routes.gemini.credential-header", "x-goog-api-key",
        "griot.sandbox.egress.routes.gemini.credential", KEY,
        "griot.harnesses.gemini.read-only-paths", List.of(CLI.resolve("node_modules").toString()),
        "griot.worker.idle-watchdog", "8s"));
    client = node.client();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (model != null) model.close();
  }

  @Test
  void theGeminiCliAnswersThroughTheEgressGatewayWithoutEverHoldingTheKey() throws Exception {
    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("gemini").setPrompt("Say hello")
            .putOptions("program", CLI.resolve("node_modules/.bin/gemini").toString())
            .putOptions("model", "gemini-2.5-pro")
            .putOptions("egress", "true")
            .putOptions("base_url", "http://127.0.0.1:8080/gemini")
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1))
            .build()))
        .getRun().getRunId();
    Run done = client.awaitRun(runId, Duration.ofSeconds(120),
        r -> r.getState() == RunState.RUN_STATE_COMPLETED || r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(RunState.RUN_STATE_COMPLETED, done.getState(), done.getLastFailure());
    assertEquals("Hello from the fake Gemini.", done.getResultText());
    assertFalse(done.getSessionId().isEmpty(), "the CLI's session id is captured");
    assertTrue(done.getUsage().getInputTokens() > 0 && done.getUsage().getOutputTokens() > 0, "usage recorded: " + done.getUsage());
    assertFalse(model.requests.isEmpty());
    assertTrue(model.requests.stream().allMatch(r -> r.apiKey().equals(KEY)),
        "every request reached the model with the node's key, none with the sandbox's placeholder: " + model.requests);
    assertTrue(model.requests.stream().anyMatch(r -> r.userTexts().stream().anyMatch(t -> t.contains("Say hello"))));
  }

  @Test
  void aStalledAttemptIsRetriedAndTheCliResumesItsOwnSession() throws Exception {
    model.requests.clear();
    model.hangFirstStream = true;
    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("gemini").setPrompt("Tell me a story")
            .putOptions("program", CLI.resolve("node_modules/.bin/gemini").toString())
            .putOptions("model", "gemini-2.5-pro")
            .putOptions("egress", "true")
            .putOptions("base_url", "http://127.0.0.1:8080/gemini")
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(2)
                .setInitialBackoff(com.google.protobuf.Duration.newBuilder().setSeconds(1)))
            .build()))
        .getRun().getRunId();
    Run done = client.awaitRun(runId, Duration.ofSeconds(120),
        r -> r.getState() == RunState.RUN_STATE_COMPLETED || r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(RunState.RUN_STATE_COMPLETED, done.getState(), done.getLastFailure());
    assertEquals(2, done.getAttemptsCount(), "the idle watchdog ended the stalled attempt");
    assertEquals(FailureKind.FAILURE_KIND_TIMEOUT, done.getAttempts(0).getFailure());
    var streams = model.requests.stream().filter(r -> r.path().endsWith(":streamGenerateContent")).toList();
    var resumed = streams.get(streams.size() - 1);
    assertTrue(resumed.userTexts().stream().filter(t -> t.contains("Tell me a story")).count() >= 2,
        "the resumed CLI sent the earlier conversation from its own session file: " + resumed.userTexts());
  }
}
