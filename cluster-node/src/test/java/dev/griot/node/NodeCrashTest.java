package dev.griot.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.grpc.v1.*;
import dev.griot.persistence.testkit.TestCassandra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The durability promise end to end: a 20-turn scripted run submitted through gRPC, the node's
 * JVM SIGKILLed mid-run, the node started again. The remembered run comes back on its own,
 * notices its worker is gone, resumes from its last journaled turn in a new attempt, and
 * completes; its journal holds every turn exactly once, in order.
 */
class NodeCrashTest {

  @Test
  void aRunSurvivesASigkilledNodeAndCompletesWithEveryTurnOnce() throws Exception {
    String keyspace = TestCassandra.freshKeyspace("crash");
    var cassandra = TestCassandra.ensureStarted();
    Path home = Files.createTempDirectory("griot-crash");
    int grpcPort = TestNode.freePort();
    Map<String, Object> props = Map.of(
        "griot.node.grpc-port", grpcPort,
        "griot.node.apply-schema", false,
        "griot.node.home", home,
        "griot.node.cassandra-contact-point", cassandra.contactPoint(),
        "griot.persistence.keyspace", keyspace,
        "pekko.remote.artery.canonical.port", TestNode.freePort(),
        "griot.run.lease-timeout", "3s",
        "griot.run.heartbeat-interval", "500ms");

    String runId;
    int turnsBeforeCrash;
    List<ProcessHandle> silentHarness;
    String silent;
    Path notes = home.resolve("nodes").resolve("127.0.0.1-" + props.get("pekko.remote.artery.canonical.port")).resolve("harnesses");
    try (var client = new GrpcTestClient(grpcPort)) {
      try (NodeProcess first = NodeProcess.start(props, home.resolve("node-1.log"))) {
        client.awaitReady();
        var request = SubmitRunRequest.newBuilder()
            .setHarness("scripted").setPrompt("Twenty turns, please")
            .putOptions("transcript", "claude-bash-tool").putOptions("turns", "20").putOptions("line_delay_ms", "120")
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(5))
            .build();
        runId = GrpcTestClient.await(client.runs.submitRun(request)).getRun().getRunId();
        // A harness that prints nothing would not notice its node is gone (it runs in its own
        // session); the next incarnation of the node must end it.
        silent = GrpcTestClient.await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("shell").setPrompt("wait quietly").putOptions("command", "sleep 300").build())).getRun().getRunId();
        client.awaitRun(silent, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_RUNNING);
        Run midway = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getCompletedTurns() >= 5);
        assertTrue(midway.getCompletedTurns() < 20, "the crash must come mid-run");
        try (var noted = Files.list(notes)) {
          silentHarness = noted.map(f -> ProcessHandle.of(Long.parseLong(f.getFileName().toString())))
              .flatMap(java.util.Optional::stream).toList();
        }
        assertFalse(silentHarness.isEmpty(), "the node notes the harnesses it starts");
        first.kill();
        turnsBeforeCrash = midway.getCompletedTurns();
      }

      try (NodeProcess second = NodeProcess.start(props, home.resolve("node-2.log"))) {
        client.awaitReady();
        for (ProcessHandle h : silentHarness) h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(silentHarness.stream().noneMatch(ProcessHandle::isAlive), "no harness of the killed node is left running");
        Run done = client.awaitRun(runId, Duration.ofSeconds(120), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        assertEquals(20, done.getCompletedTurns());
        assertTrue(done.getAttemptsCount() >= 2, "a new attempt carried the run on: " + done.getAttemptsList());
        assertEquals(FailureKind.FAILURE_KIND_TRANSIENT, done.getAttempts(0).getFailure());
        assertTrue(done.getAttempts(0).getFailureMessage().contains("worker lost"), done.getAttempts(0).getFailureMessage());

        List<RunEvent> events = client.watch(runId, 0);
        List<Integer> turns = events.stream().filter(RunEvent::hasTurnCompleted)
            .map(e -> e.getTurnCompleted().getNumber()).toList();
        assertEquals(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList(), turns,
            "every completed turn exactly once, in order (" + turnsBeforeCrash + " before the crash)");
        List<String> sessions = events.stream().filter(RunEvent::hasSessionCaptured)
            .map(e -> e.getSessionCaptured().getSessionId()).distinct().toList();
        assertEquals(1, sessions.size(), "the resumed attempt continued the same harness session: " + sessions);
        assertEquals(RunState.RUN_STATE_COMPLETED, events.get(events.size() - 1).getState());

        // The silent run went on in a new attempt; cancel it so this node leaves nothing behind.
        GrpcTestClient.await(client.runs.cancelRun(CancelRunRequest.newBuilder().setRunId(silent).build()));
        client.awaitRun(silent, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_CANCELLED);
        org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(client.system).awaitAssert(Duration.ofSeconds(30), () -> {
          try (var noted = Files.list(notes)) {
            assertEquals(0, noted.count(), "every harness of the node has exited");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return null;
        });
      }
    }
  }
}
