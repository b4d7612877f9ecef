package dev.griot.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.grpc.v1.*;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart: three node JVMs, runs in flight on all of them; each node in turn gets
 * SIGTERM, hands its running attempts back to their runs at a turn boundary, leaves, and starts
 * again. Every run completes with no failed attempt, its journal holding each turn exactly once.
 * Scale it with -Dgriot.rolling.runs, -Dgriot.rolling.turns and -Dgriot.rolling.line-delay-ms.
 */
class RollingRestartTest {

  private static final int RUNS = Integer.getInteger("griot.rolling.runs", 30);
  private static final int TURNS = Integer.getInteger("griot.rolling.turns", 300);
  private static final int LINE_DELAY_MS = Integer.getInteger("griot.rolling.line-delay-ms", 500);
  private static final Duration STOP_WITHIN = Duration.ofSeconds(90);
  private static final Duration RESTART_WITHIN = Duration.ofSeconds(150);

  @Test
  void everyNodeRestartedInTurnWhileRunsAreInFlightAndNoAttemptFails() throws Exception {
    try (TestCluster cluster = new TestCluster(3, Map.of(
        "griot.run.heartbeat-interval", "500ms", "griot.worker.slots", RUNS))) {
      cluster.startAll();
      GrpcTestClient[] clients = new GrpcTestClient[3];
      try {
        for (int i = 0; i < 3; i++) {
          clients[i] = new GrpcTestClient(cluster.grpcPort(i));
          clients[i].awaitReady(RESTART_WITHIN); // a JVM starting beside 30 harnesses on 2 cores is slow
        }
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++)
          runs.add(GrpcTestClient.await(clients[i % 3].runs.submitRun(SubmitRunRequest.newBuilder()
              .setHarness("scripted").setPrompt("rolling " + i)
              .putOptions("turns", Integer.toString(TURNS)).putOptions("line_delay_ms", Integer.toString(LINE_DELAY_MS))
              .putOptions("verify_resume", "true") // a handed-back run resumes from its checkpoint, exactly
              .build())).getRun().getRunId());
        for (String id : runs) clients[2].awaitRun(id, Duration.ofSeconds(120), r -> r.getCompletedTurns() >= 1);

        for (int i = 0; i < 3; i++) {
          GrpcTestClient other = clients[(i + 1) % 3];
          int inFlight = (int) runs.stream().filter(id -> !isDone(other, id)).count();
          assertTrue(inFlight > 0, "runs still in flight when node " + (i + 1) + " restarts");
          clients[i].close();
          cluster.stop(i, STOP_WITHIN);
          cluster.start(i);
          clients[i] = new GrpcTestClient(cluster.grpcPort(i));
          clients[i].awaitReady(RESTART_WITHIN); // a JVM starting beside 30 harnesses on 2 cores is slow
        }

        int handedBack = 0;
        for (String id : runs) {
          Run done = clients[0].awaitRun(id, Duration.ofSeconds(600), r -> r.getState() == RunState.RUN_STATE_COMPLETED
              || r.getState() == RunState.RUN_STATE_DEAD_LETTERED || r.getState() == RunState.RUN_STATE_CANCELLED);
          assertEquals(RunState.RUN_STATE_COMPLETED, done.getState(), "run " + id + ": " + done.getLastFailure());
          List<RunEvent> events = clients[0].watch(id, 0);
          List<Integer> turns = events.stream().filter(RunEvent::hasTurnCompleted)
              .map(e -> e.getTurnCompleted().getNumber()).toList();
          assertEquals(IntStream.rangeClosed(1, TURNS).boxed().toList(), turns, "run " + id + ": every turn once, in order");
          for (RunEvent e : events) {
            assertFalse(e.hasAttemptFailed(), "run " + id + ": no failed attempt, got " + e);
            assertFalse(e.hasBackoffStarted() || e.hasTimedOut(), "run " + id + ": no retry, got " + e);
          }
          for (Attempt a : done.getAttemptsList()) {
            assertEquals(FailureKind.FAILURE_KIND_UNSPECIFIED, a.getFailure(), "run " + id + ": " + a);
            if (a.getYielded()) handedBack++;
          }
        }
        assertTrue(handedBack > 0, "the stopping nodes handed attempts back");
      } finally {
        for (GrpcTestClient c : clients) if (c != null) c.close();
      }
    }
  }

  private static boolean isDone(GrpcTestClient client, String runId) {
    try {
      return client.get(runId).getState() == RunState.RUN_STATE_COMPLETED;
    } catch (Exception e) {
      return false;
    }
  }
}
