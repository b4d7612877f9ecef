package dev.griot.node;

import static dev.griot.node.GrpcTestClient.await;
import static org.junit.jupiter.api.Assertions.*;

import dev.griot.grpc.v1.*;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node's supervision of harnesses: the idle watchdog and the run's budgets, end to end. */
class SupervisionTest {

  private static TestNode node;
  private static GrpcTestClient client;
  private static java.nio.file.Path rootfs;

  @BeforeAll
  static void start() throws Exception {
    rootfs = java.nio.file.Files.createTempDirectory("griot-rootfs");
    node = TestNode.start("supervise", Map.of("griot.worker.idle-watchdog", "4s",
        "griot.sandbox.offered", java.util.List.of("host", "container"), "griot.sandbox.container.rootfs", rootfs.toString(),
        // the scripted harness's turns (11 in / 1 out tokens) at $1000 per million tokens: $0.012 a turn
        "griot.pricing.default-models.scripted", "test-model",
        "griot.pricing.models.test-model", Map.of("input", 1000, "output", 1000, "cache-read", 0, "cache-write", 0)));
    client = node.client();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void aHarnessThatFallsSilentIsEndedByTheIdleWatchdog() throws Exception {
    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("scripted").setPrompt("think very slowly")
            .putOptions("turns", "3").putOptions("line_delay_ms", "60000")
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1))
            .build()))
        .getRun().getRunId();
    Run dead = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(FailureKind.FAILURE_KIND_TIMEOUT, dead.getAttempts(0).getFailure());
    assertTrue(dead.getAttempts(0).getFailureMessage().contains("idle watchdog"), dead.getAttempts(0).getFailureMessage());
  }

  @Test
  void aHarnessTheSandboxRefusesFailsAtOnceWithThePreciseReasonAndFreesItsSlot() throws Exception {
    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("claude-code").setPrompt("hello")
            .putOptions("program", "/no/such/claude")
            .build()))
        .getRun().getRunId();
    Run dead = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(1, dead.getAttemptsCount(), "no retry can make a missing program appear");
    assertEquals(FailureKind.FAILURE_KIND_FATAL, dead.getAttempts(0).getFailure());
    assertTrue(dead.getLastFailure().contains("program not found: /no/such/claude"), dead.getLastFailure());

    // every slot is free again: as many quick runs as the node has slots all complete
    int slots = node.system.settings().config().getInt("griot.worker.slots");
    java.util.List<String> quick = new java.util.ArrayList<>();
    for (int i = 0; i < slots; i++)
      quick.add(await(client.runs.submitRun(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("quick")
          .putOptions("command", "echo ok").build())).getRun().getRunId());
    for (String id : quick)
      client.awaitRun(id, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
  }

  @Test
  void aRunRunsInTheSandboxKindItNamesAndAKindTheNodeDoesNotOfferFailsAtOnce() throws Exception {
    // /etc/shadow is on the host, and not among what bubblewrap binds of /etc
    String probe = "if [ -e /etc/shadow ]; then echo on-the-host; else echo sandboxed; fi";
    String byDefault = await(client.runs.submitRun(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("where")
        .putOptions("command", probe).build())).getRun().getRunId();
    String onHost = await(client.runs.submitRun(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("where")
        .putOptions("command", probe).setSandbox("host").build())).getRun().getRunId();
    assertEquals("sandboxed", client.awaitRun(byDefault, Duration.ofSeconds(60),
        r -> r.getState() == RunState.RUN_STATE_COMPLETED).getResultText());
    Run host = client.awaitRun(onHost, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
    assertEquals("on-the-host", host.getResultText());
    assertEquals("host", host.getSandbox());

    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("where")
        .putOptions("command", probe).setSandbox("remote").build())).getRun().getRunId();
    Run dead = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(1, dead.getAttemptsCount());
    assertEquals(FailureKind.FAILURE_KIND_FATAL, dead.getAttempts(0).getFailure());
    assertTrue(dead.getLastFailure().contains("this node offers no 'remote' sandbox: it offers process, host, container"),
        dead.getLastFailure());
  }

  @Test
  void aContainerRunWhoseRootfsIsGoneFailsAtOnceWithThePreciseReason() throws Exception {
    java.nio.file.Files.delete(rootfs); // the node checked it at start; now it is gone
    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("in a container")
        .putOptions("command", "echo hi").setSandbox("container").build())).getRun().getRunId();
    Run dead = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(1, dead.getAttemptsCount(), "no retry can bring the rootfs back");
    assertEquals(FailureKind.FAILURE_KIND_FATAL, dead.getAttempts(0).getFailure());
    assertTrue(dead.getLastFailure().contains("container rootfs " + rootfs + " does not exist"), dead.getLastFailure());
  }

  @Test
  void aRunStopsAtTheTurnThatGoesBeyondItsCostBudget() throws Exception {
    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("scripted").setPrompt("ten turns at $0.012, $0.03 allowed")
            .putOptions("turns", "10").putOptions("line_delay_ms", "100")
            .setBudget(Budget.newBuilder().setMaxCostUsd(0.03))
            .build()))
        .getRun().getRunId();
    Run dead = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(3, dead.getCompletedTurns(), "$0.024 after turn 2 fits, $0.036 after turn 3 does not");
    assertEquals(FailureKind.FAILURE_KIND_BUDGET, dead.getAttempts(0).getFailure());
    assertTrue(dead.getLastFailure().contains("cost budget of $0.03 exceeded ($0.036000 at test-model prices)"),
        dead.getLastFailure());
    assertEquals(0.03, dead.getBudget().getMaxCostUsd());
  }

  @Test
  void aRunStopsAtTheTurnThatGoesBeyondItsTurnBudget() throws Exception {
    String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("scripted").setPrompt("ten turns, but only three allowed")
            .putOptions("turns", "10").putOptions("line_delay_ms", "100")
            .setBudget(Budget.newBuilder().setMaxTurns(3))
            .build()))
        .getRun().getRunId();
    Run dead = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertEquals(4, dead.getCompletedTurns(), "turns 1-3 fit the budget, turn 4 goes beyond it and is kept");
    assertEquals(FailureKind.FAILURE_KIND_BUDGET, dead.getAttempts(0).getFailure());
    assertTrue(dead.getLastFailure().contains("turn budget of 3 exceeded"), dead.getLastFailure());
    assertEquals(1, dead.getAttemptsCount(), "a budget is not retried");
    assertEquals(3, dead.getBudget().getMaxTurns());
  }
}
