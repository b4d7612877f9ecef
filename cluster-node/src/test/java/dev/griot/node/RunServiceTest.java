package dev.griot.node;

import static dev.griot.node.GrpcTestClient.await;
import static dev.griot.node.GrpcTestClient.statusOf;
import static org.junit.jupiter.api.Assertions.*;

import dev.griot.grpc.v1.*;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gRPC API of one real node on the real Cassandra, through the real generated client:
 * precise statuses for bad input, idempotent submits, the read side, and watching the journal.
 */
class RunServiceTest {

  private static TestNode node;
  private static GrpcTestClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("rpc", Map.of());
    client = node.client();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static SubmitRunRequest.Builder scripted(int turns) {
    return SubmitRunRequest.newBuilder()
        .setHarness("scripted")
        .setPrompt("Say hello")
        .putOptions("transcript", "claude-bash-tool")
        .putOptions("turns", String.valueOf(turns));
  }

  private static SubmitRunResponse submit(SubmitRunRequest.Builder request) throws Exception {
    return await(client.runs.submitRun(request.build()));
  }

  private static com.google.protobuf.Duration seconds(long s) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(s).build();
  }

  @Test
  void aScriptedRunCompletesAndItsJournalShowsEveryTurnOnce() throws Exception {
    String runId = submit(scripted(3)).getRun().getRunId();
    Run done = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
    assertEquals(3, done.getCompletedTurns());
    assertEquals("The command printed hello-from-sandbox.", done.getResultText());
    assertEquals(0.000552, done.getCostUsd(), 1e-9);
    assertFalse(done.getSessionId().isEmpty());

    List<RunEvent> events = client.watch(runId, 0);
    assertEquals(List.of(1, 2, 3), events.stream().filter(RunEvent::hasTurnCompleted)
        .map(e -> e.getTurnCompleted().getNumber()).toList());
    assertEquals(RunState.RUN_STATE_COMPLETED, events.get(events.size() - 1).getState());
    assertEquals(done.getLastSequenceNr(), events.get(events.size() - 1).getSequenceNr());
    for (int i = 0; i < events.size(); i++) assertEquals(i + 1, events.get(i).getSequenceNr());

    List<RunEvent> tail = client.watch(runId, done.getLastSequenceNr());
    assertEquals(1, tail.size(), "a watch from the last event shows just that one");
    assertTrue(client.watch(runId, done.getLastSequenceNr() + 1).isEmpty(), "a finished run's watch at its end is empty");
    Status beyond = statusOf(client.runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId)
        .setFromSequenceNr(done.getLastSequenceNr() + 2).build()).runWith(org.apache.pekko.stream.javadsl.Sink.seq(), client.system));
    assertEquals(Status.Code.OUT_OF_RANGE, beyond.getCode());
    assertTrue(beyond.getDescription().contains("beyond the end"), beyond.getDescription());

    Status cancel = statusOf(client.runs.cancelRun(CancelRunRequest.newBuilder().setRunId(runId).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, cancel.getCode());
    assertTrue(cancel.getDescription().contains("completed"), cancel.getDescription());
  }

  @Test
  void shellRunsThatEndAtOnceStillComplete() throws Exception {
    // A command this quick can print and exit before the worker hears that it started.
    for (int i = 0; i < 5; i++) {
      String runId = submit(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("greet")
          .putOptions("command", "echo hello; echo world")).getRun().getRunId();
      Run done = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
      assertEquals("world", done.getResultText());
      assertEquals(1, done.getCompletedTurns());
      assertEquals(1, done.getAttemptsCount());
    }
    String failing = submit(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("fail")
        .putOptions("command", "echo 'no such file' >&2; exit 3")).getRun().getRunId();
    Run dead = client.awaitRun(failing, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertTrue(dead.getLastFailure().contains("no such file"), "the failure carries the harness's stderr: " + dead.getLastFailure());
  }

  @Test
  void theSameIdempotencyKeyReturnsTheSameRunAndADifferentSpecIsAlreadyExists() throws Exception {
    var first = submit(scripted(1).setIdempotencyKey("order-42"));
    var again = submit(scripted(1).setIdempotencyKey("order-42"));
    assertTrue(first.getCreated());
    assertFalse(again.getCreated());
    assertEquals(first.getRun().getRunId(), again.getRun().getRunId());
    Status conflict = statusOf(client.runs.submitRun(scripted(2).setIdempotencyKey("order-42").build()));
    assertEquals(Status.Code.ALREADY_EXISTS, conflict.getCode());
    assertTrue(conflict.getDescription().contains("order-42"), conflict.getDescription());
  }

  @Test
  void badSubmitsAreInvalidArgumentWithAPreciseMessage() {
    assertInvalid(scripted(1).setPrompt(""), "prompt must not be empty");
    assertInvalid(scripted(1).setHarness("claude-code-9000"), "unknown harness 'claude-code-9000'");
    assertInvalid(scripted(1).setHarness(""), "harness must be named");
    assertInvalid(scripted(1).putOptions("turns", "-3"), "turns");
    assertInvalid(scripted(1).putOptions("colour", "blue"), "colour");
    assertInvalid(scripted(1).setTimeouts(Timeouts.newBuilder().setRun(seconds(-5))), "timeouts.run must not be negative");
    assertInvalid(scripted(1).setTimeouts(Timeouts.newBuilder().setStart(seconds(10L * 365 * 24 * 3600))),
        "timeouts.start of PT87600H is above the limit");
    assertInvalid(scripted(1).setRetry(RetryPolicy.newBuilder().setMaxAttempts(1000)), "retry.max_attempts must be between 1 and 100");
    assertInvalid(scripted(1).setQueue("Not A Queue!"), "queue must be");
  }

  private static void assertInvalid(SubmitRunRequest.Builder request, String expected) {
    Status s = statusOf(client.runs.submitRun(request.build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), s.toString());
    assertTrue(s.getDescription().contains(expected), "'" + s.getDescription() + "' should say '" + expected + "'");
  }

  @Test
  void aDeadLetteredRunIsRedrivenAndItsWatchFollowsItPastTheDeadLetter() throws Exception {
    String runId = submit(scripted(2).putOptions("fail_after_turns", "1").putOptions("fail_mode", "fatal"))
        .getRun().getRunId();
    Run dead = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_DEAD_LETTERED);
    assertTrue(dead.getLastFailure().contains("fatal"), dead.getLastFailure());
    assertEquals(1, dead.getAttemptsCount(), "a fatal failure is not retried");

    Run redriven = await(client.runs.redriveRun(RedriveRunRequest.newBuilder().setRunId(runId).build()));
    assertEquals(RunState.RUN_STATE_QUEUED, redriven.getState());
    Run done = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
    assertEquals(2, done.getCompletedTurns());
    assertEquals(2, done.getAttemptsCount());

    List<RunEvent> events = client.watch(runId, 0);
    assertTrue(events.stream().anyMatch(RunEvent::hasDeadLettered));
    assertTrue(events.get(events.size() - 1).hasCompleted(), "the watch goes past the old dead letter to the end");
    assertEquals(List.of(1, 2), events.stream().filter(RunEvent::hasTurnCompleted).map(e -> e.getTurnCompleted().getNumber()).toList());
    Status again = statusOf(client.runs.redriveRun(RedriveRunRequest.newBuilder().setRunId(runId).build()));
    assertEquals(Status.Code.FAILED_PRECONDITION, again.getCode());
  }

  @Test
  void unknownAndMalformedRunIds() {
    String unknown = "run-00000000-0000-0000-0000-000000000000";
    Status get = statusOf(client.runs.getRun(GetRunRequest.newBuilder().setRunId(unknown).build()));
    assertEquals(Status.Code.NOT_FOUND, get.getCode());
    assertTrue(get.getDescription().contains(unknown));
    assertEquals(Status.Code.NOT_FOUND, statusOf(client.runs.cancelRun(CancelRunRequest.newBuilder().setRunId(unknown).build())).getCode());
    assertEquals(Status.Code.NOT_FOUND, statusOf(client.runs.watchRun(WatchRunRequest.newBuilder().setRunId(unknown).build())
        .runWith(org.apache.pekko.stream.javadsl.Sink.seq(), client.system)).getCode());
    Status malformed = statusOf(client.runs.getRun(GetRunRequest.newBuilder().setRunId("../etc/passwd").build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, malformed.getCode());
    assertTrue(malformed.getDescription().contains("not a run id"));
    assertEquals(Status.Code.INVALID_ARGUMENT, statusOf(client.runs.getRun(GetRunRequest.getDefaultInstance())).getCode());
  }

  @Test
  void cancelStopsARunningHarnessAndListRunsFiltersByState() throws Exception {
    String runId = submit(scripted(50).putOptions("line_delay_ms", "200")).getRun().getRunId();
    client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getCompletedTurns() >= 1);
    java.util.List<ProcessHandle> harness;
    try (var noted = java.nio.file.Files.list(node.harnessNotes())) {
      harness = noted.map(f -> ProcessHandle.of(Long.parseLong(f.getFileName().toString())))
          .flatMap(java.util.Optional::stream).toList();
    }
    assertEquals(1, harness.size(), "the running harness is noted");
    java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(harness.get(0).descendants().toList());
    tree.add(harness.get(0));
    Run cancelled = await(client.runs.cancelRun(CancelRunRequest.newBuilder().setRunId(runId).setReason("changed my mind").build()));
    assertEquals(RunState.RUN_STATE_CANCELLED, cancelled.getState());
    assertEquals("changed my mind", cancelled.getAttempts(0).getFailureMessage());
    assertEquals(FailureKind.FAILURE_KIND_CANCELLED, cancelled.getAttempts(0).getFailure());
    for (ProcessHandle p : tree) p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertTrue(tree.stream().noneMatch(ProcessHandle::isAlive), "no process of the cancelled run is left: " + tree);

    ListRunsResponse page = org.apache.pekko.actor.testkit.typed.javadsl.TestProbe.create(client.system)
        .awaitAssert(Duration.ofSeconds(20), () -> {
          var p = await(client.runs.listRuns(ListRunsRequest.newBuilder().setState(RunState.RUN_STATE_CANCELLED).build()));
          assertTrue(p.getRunsList().stream().anyMatch(s -> s.getRunId().equals(runId)), "cancelled run listed");
          return p;
        });
    assertTrue(page.getRunsList().stream().allMatch(s -> s.getState() == RunState.RUN_STATE_CANCELLED));
    assertEquals(Status.Code.INVALID_ARGUMENT,
        statusOf(client.runs.listRuns(ListRunsRequest.newBuilder().setPageSize(-1).build())).getCode());
    assertEquals(Status.Code.INVALID_ARGUMENT,
        statusOf(client.runs.listRuns(ListRunsRequest.newBuilder().setPageToken("%%%not-base64").build())).getCode());
    assertEquals(Status.Code.INVALID_ARGUMENT,
        statusOf(client.runs.listRuns(ListRunsRequest.newBuilder().setPageToken("AAAAAAAA").build())).getCode(),
        () -> "base64 that is no paging state: " + statusOf(client.runs.listRuns(ListRunsRequest.newBuilder().setPageToken("AAAAAAAA").build())));
  }
}
