package dev.griot.node;

import static dev.griot.node.GrpcTestClient.await;
import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.griot.grpc.v1.*;
import dev.griot.sandbox.remote.GriotRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Nodes of the remote kind running their harnesses on a real griot runner (bubblewrap) on loopback. */
class RemoteRunnerTest {

  private static Path runnerHome;
  private static GriotRunner runner;

  @BeforeAll
  static void startRunner() throws Exception {
    runnerHome = Files.createTempDirectory("griot-runner");
    runner = GriotRunner.start(ConfigFactory.parseMap(Map.of(
        "griot.runner.port", 0, "griot.runner.token", "runner-token", "griot.runner.home", runnerHome.toString())));
  }

  @AfterAll
  static void stopRunner() {
    if (runner != null) runner.close();
  }

  private static Map<String, Object> remote(String token) {
    return Map.of("griot.sandbox.kind", "remote", "griot.sandbox.remote.host", "127.0.0.1",
        "griot.sandbox.remote.port", runner.address().getPort(), "griot.sandbox.remote.token", token);
  }

  @Test
  void aRunCompletesWithItsHarnessOnTheRunner() throws Exception {
    try (TestNode node = TestNode.start("remote", remote("runner-token"));
        GrpcTestClient client = new GrpcTestClient(node.grpcPort)) {
      client.awaitReady();
      String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
              .setHarness("scripted").setPrompt("three turns, remotely").putOptions("turns", "3").build()))
          .getRun().getRunId();
      Run done = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
      assertEquals(3, done.getCompletedTurns());
      assertTrue(Files.isDirectory(runnerHome.resolve("workspaces").resolve(runId)),
          "the harness ran in the runner's workspace of the run");
      assertTrue(Files.notExists(node.harnessNotes()) || Files.list(node.harnessNotes()).findAny().isEmpty(),
          "a runner's pid is never noted for this host's orphan reaper");
    }
  }

  @Test
  void aRunWhoseNodeLosesTheRunnerMidRunGoesOnWithTheSameHarnessAndJournalsEveryTurnOnce() throws Exception {
    try (var proxy = new dev.griot.sandbox.remote.TcpProxy(runner.address())) {
      var settings = new java.util.HashMap<>(remote("runner-token"));
      settings.put("griot.sandbox.remote.port", proxy.port());
      settings.put("griot.sandbox.remote.reattach.max-backoff", "200ms");
      try (TestNode node = TestNode.start("remote_cut", settings);
          GrpcTestClient client = new GrpcTestClient(node.grpcPort)) {
        client.awaitReady();
        String runId = await(client.runs.submitRun(SubmitRunRequest.newBuilder()
                .setHarness("scripted").setPrompt("eight slow turns").putOptions("turns", "8")
                .putOptions("line_delay_ms", "40").build()))
            .getRun().getRunId();
        client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getCompletedTurns() >= 2);

        proxy.cut();
        Path spool = spoolOf(runId);
        long before = Files.size(spool);
        org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(node.system)
            .awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(20), () -> {
              try {
                assertTrue(Files.size(spool) >= before + 2_000, "the harness went on writing to the runner's spool while cut off");
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              return null;
            });
        proxy.resume();

        Run done = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        assertEquals(8, done.getCompletedTurns());
        assertEquals(1, done.getAttemptsCount(), "the same harness, never restarted");
        List<Integer> turns = client.watch(runId, 1).stream()
            .filter(RunEvent::hasTurnCompleted).map(e -> e.getTurnCompleted().getNumber()).toList();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), turns, "every turn journaled exactly once, in order");
        assertTrue(proxy.connections() >= 2, "the node connected again");
      }
    }
  }

  /** The runner's spool of the run's sandbox: {@code <home>/spool/<run id>.<suffix>.spool}. */
  private static Path spoolOf(String runId) throws Exception {
    try (var files = Files.list(runnerHome.resolve("spool"))) {
      return files.filter(f -> f.getFileName().toString().startsWith(runId + ".")).findFirst().orElseThrow();
    }
  }

  @Test
  void aWrongTokenFailsTheRunAtOnceWithThePreciseReasonAndFreesTheSlot() throws Exception {
    try (TestNode node = TestNode.start("remote_token", remote("not-the-token"));
        GrpcTestClient client = new GrpcTestClient(node.grpcPort)) {
      client.awaitReady();
      int slots = node.system.settings().config().getInt("griot.worker.slots");
      List<String> runs = new ArrayList<>();
      for (int i = 0; i <= slots; i++) // one more run than slots: it gets a slot only if the others freed theirs
        runs.add(await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("shell").setPrompt("never starts").putOptions("command", "echo hi").build())).getRun().getRunId());
      for (String id : runs) {
        Run dead = client.awaitRun(id, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
        assertEquals(1, dead.getAttemptsCount(), "a wrong token is not retried");
        assertEquals(FailureKind.FAILURE_KIND_FATAL, dead.getAttempts(0).getFailure());
        assertTrue(dead.getLastFailure().contains("refused this node's token (UNAUTHENTICATED)"), dead.getLastFailure());
      }
      assertEquals(0, runner.sandboxes());
    }
  }
}
