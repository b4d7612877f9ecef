package dev.griot.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.grpc.v1.*;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A run whose session cannot be restored goes on in a new session told its journaled turns. The
 * node's checkpoints all fail here (no workspace fits in {@code max-bytes = 1}), so the run has
 * journaled turns and no checkpoint when its first attempt crashes; the scripted harness, with
 * {@code verify_resume}, refuses to go on unless its prompt tells exactly turns 1..N.
 */
class RecoveryPromptResumeTest {

  private static TestNode node;
  private static GrpcTestClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("recovery", Map.of("griot.checkpoint.max-bytes", 1));
    client = node.client();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void aRunWithoutACheckpointResumesInANewSessionToldItsJournaledTurns() throws Exception {
    String runId = GrpcTestClient.await(client.runs.submitRun(SubmitRunRequest.newBuilder()
        .setHarness("scripted").setPrompt("Say hello")
        .putOptions("transcript", "claude-bash-tool").putOptions("turns", "5")
        .putOptions("fail_after_turns", "3").putOptions("fail_mode", "crash")
        .putOptions("verify_resume", "true")
        .setRetry(RetryPolicy.newBuilder().setMaxAttempts(2).setInitialBackoff(com.google.protobuf.Duration.newBuilder().setNanos(100_000_000)))
        .build())).getRun().getRunId();

    Run done = client.awaitRun(runId, Duration.ofSeconds(90), r -> r.getState() == RunState.RUN_STATE_COMPLETED
        || r.getState() == RunState.RUN_STATE_DEAD_LETTERED);

    assertEquals(RunState.RUN_STATE_COMPLETED, done.getState(), done.getLastFailure());
    assertEquals(2, done.getAttemptsCount());
    assertEquals(5, done.getCompletedTurns());
    assertFalse(done.hasCheckpoint(), "no checkpoint was ever taken");
    List<RunEvent> events = client.watch(runId, 0);
    assertEquals(List.of(1, 2, 3, 4, 5), events.stream().filter(RunEvent::hasTurnCompleted)
        .map(e -> e.getTurnCompleted().getNumber()).toList(), "every turn once, in order");
    List<String> sessions = events.stream().filter(RunEvent::hasSessionCaptured)
        .map(e -> e.getSessionCaptured().getSessionId()).toList();
    assertEquals(2, sessions.stream().distinct().count(), "the second attempt runs a session of its own: " + sessions);
  }
}
