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
 * Three node JVMs on 127.0.0.1-3; runs in flight across them; the oldest node (seed, shard
 * coordinator) is SIGKILLed, started again, then a second node is SIGKILLed. Every run completes,
 * and its journal holds each turn exactly once, in order, each journaled by the run's attempt of
 * the time; every resumed attempt found exactly the journaled turns in the session file and
 * workspace restored from the run's checkpoint (the scripted harness's verify_resume). Scale it with -Dgriot.chaos.runs=60 -Dgriot.chaos.turns=30 -Dgriot.chaos.line-delay-ms=500
 * (docs/failover.md): slow enough that every run is still in flight at both kills.
 */
class ClusterFailoverTest {

  private static final int RUNS = Integer.getInteger("griot.chaos.runs", 12);
  private static final int TURNS = Integer.getInteger("griot.chaos.turns", 20);
  private static final int LINE_DELAY_MS = Integer.getInteger("griot.chaos.line-delay-ms", 150);

  @Test
  void everyRunSurvivesTheLossOfNodesOneAfterAnother() throws Exception {
    try (TestCluster cluster = new TestCluster(3, Map.of(
            "griot.run.lease-timeout", "4s", "griot.run.heartbeat-interval", "500ms",
            "griot.worker.slots", Math.max(8, RUNS))); // every run in flight at once
        GrpcTestClient third = startAndConnect(cluster)) {
      List<String> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++)
        runs.add(GrpcTestClient.await(third.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("scripted").setPrompt("chaos " + i)
            .putOptions("turns", Integer.toString(TURNS)).putOptions("line_delay_ms", Integer.toString(LINE_DELAY_MS))
            .putOptions("verify_resume", "true") // every resumed attempt checks the checkpoint it is handed
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(10)).build())).getRun().getRunId());
      for (String id : runs) third.awaitRun(id, Duration.ofSeconds(120), r -> r.getCompletedTurns() >= 2);

      int before = progress(third, runs);
      cluster.kill(0);
      third.awaitRun(runs.get(0), Duration.ofSeconds(120), r -> progressUnchecked(third, runs) >= before + RUNS);
      cluster.start(0); // the killed node comes back on its address and joins again
      try (GrpcTestClient first = new GrpcTestClient(cluster.grpcPort(0))) {
        first.awaitReady();
      }
      cluster.kill(1);

      int attempts = 0;
      java.util.Set<String> workers = new java.util.TreeSet<>();
      for (String id : runs) {
        Run done = third.awaitRun(id, Duration.ofSeconds(240), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        attempts += done.getAttemptsCount();
        done.getAttemptsList().forEach(a -> workers.add(a.getWorkerId().replaceAll("/slot-\\d+$", "")));
        assertEquals(TURNS, done.getCompletedTurns(), id);
        List<RunEvent> events = third.watch(id, 0);
        List<Integer> turns = events.stream().filter(RunEvent::hasTurnCompleted)
            .map(e -> e.getTurnCompleted().getNumber()).toList();
        assertEquals(IntStream.rangeClosed(1, TURNS).boxed().toList(), turns, "run " + id + ": every turn once, in order");
        int attempt = 0;
        for (RunEvent e : events) {
          assertTrue(e.getAttempt() >= attempt, "run " + id + ": attempts never interleave");
          attempt = e.getAttempt();
        }
      }
      assertTrue(attempts > RUNS, "the kills cost some runs their worker: " + attempts + " attempts for " + RUNS + " runs");
      assertTrue(workers.size() >= 2, "runs ran on several nodes' workers: " + workers);
    }
  }

  @Test
  void whenTheNodeOwningARunDiesItsHarnessOnAnotherNodeGoesOnUntouched() throws Exception {
    try (TestCluster cluster = new TestCluster(3, Map.of("griot.run.heartbeat-interval", "500ms"))) {
      cluster.set(0, "griot.node.roles", "control");
      cluster.set(1, "griot.node.roles", "control");
      cluster.set(2, "griot.node.roles", "worker"); // every harness runs here
      try (GrpcTestClient worker = startAndConnect(cluster)) {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++)
          runs.add(GrpcTestClient.await(worker.runs.submitRun(SubmitRunRequest.newBuilder()
              .setHarness("scripted").setPrompt("owner loss " + i)
              .putOptions("turns", "20").putOptions("line_delay_ms", "150").build())).getRun().getRunId());
        for (String id : runs) worker.awaitRun(id, Duration.ofSeconds(120), r -> r.getCompletedTurns() >= 2);
        List<ProcessHandle> harnesses;
        try (var noted = java.nio.file.Files.list(cluster.harnessNotes(2))) {
          harnesses = noted.map(f -> ProcessHandle.of(Long.parseLong(f.getFileName().toString())))
              .flatMap(java.util.Optional::stream).toList();
        }
        assertEquals(runs.size(), harnesses.size(), "one harness per run, all on the worker node");

        cluster.kill(0); // the entities it owned start again on node 2, from their journals

        for (String id : runs) {
          Run done = worker.awaitRun(id, Duration.ofSeconds(180), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
          assertEquals(1, done.getAttemptsCount(), "run " + id + ": the same harness from start to end");
          List<Integer> turns = worker.watch(id, 0).stream().filter(RunEvent::hasTurnCompleted)
              .map(e -> e.getTurnCompleted().getNumber()).toList();
          assertEquals(IntStream.rangeClosed(1, 20).boxed().toList(), turns, "run " + id + ": no event lost, none twice");
        }
        String survivorLog = java.nio.file.Files.readString(cluster.log(1));
        long moved = runs.stream().filter(id -> survivorLog.contains("run " + id + " recovered as running")).count();
        assertTrue(moved > 0, "some runs' owner was the killed node, and their entities moved to the survivor");
      }
    }
  }

  @Test
  void aRunWhoseWorkerDiesResumesOnAnotherWorkerWithItsSessionAndWorkspaceAsOfItsLastTurn() throws Exception {
    try (TestCluster cluster = new TestCluster(3, Map.of(
        "griot.run.heartbeat-interval", "500ms", "griot.run.lease-timeout", "4s"))) {
      cluster.set(0, "griot.node.roles", "control"); // owns the run, survives
      cluster.set(1, "griot.node.roles", "worker");
      cluster.set(2, "griot.node.roles", "worker");
      cluster.startAll();
      for (int i = 1; i < 3; i++) try (GrpcTestClient c = new GrpcTestClient(cluster.grpcPort(i))) {
        c.awaitReady();
      }
      try (GrpcTestClient control = new GrpcTestClient(cluster.grpcPort(0))) {
        control.awaitReady();
        String id = GrpcTestClient.await(control.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("scripted").setPrompt("worker loss")
            .putOptions("turns", "16").putOptions("line_delay_ms", "150").putOptions("verify_resume", "true")
            .build())).getRun().getRunId();
        Run before = control.awaitRun(id, Duration.ofSeconds(120), r -> r.getCompletedTurns() >= 5);
        String firstWorker = before.getAttempts(0).getWorkerId().replaceAll("/slot-\\d+$", "");
        int victim = firstWorker.contains("127.0.0.2:") ? 1 : 2;
        assertTrue(firstWorker.contains("127.0.0." + (victim + 1) + ":"), firstWorker);

        cluster.kill(victim);

        Run done = control.awaitRun(id, Duration.ofSeconds(180), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        assertEquals(2, done.getAttemptsCount(), "one attempt lost with its worker, one resumed elsewhere: " + done.getAttemptsList());
        Attempt resumed = done.getAttempts(1);
        assertFalse(resumed.getWorkerId().startsWith(firstWorker), "resumed on the other worker: " + resumed.getWorkerId());
        List<RunEvent> events = control.watch(id, 0);
        List<Integer> turns = events.stream().filter(RunEvent::hasTurnCompleted).map(e -> e.getTurnCompleted().getNumber()).toList();
        assertEquals(IntStream.rangeClosed(1, 16).boxed().toList(), turns, "every turn once, in order");
        // The resumed attempt ran with verify_resume: it found exactly the journaled turns in the
        // session file and the workspace restored from the checkpoint, or it would have failed.
        assertEquals(16, done.getCheckpoint().getTurn(), "the last turn was checkpointed too");
        String survivorLog = java.nio.file.Files.readString(cluster.log(victim == 1 ? 2 : 1));
        assertTrue(survivorLog.contains("run " + id + " attempt 2: workspace restored from the checkpoint of turn"), "restored from a checkpoint");
        assertTrue(events.stream().noneMatch(e -> e.hasAttemptFailed() && e.getAttemptFailed().getMessage().contains("resume check")));
      }
    }
  }

  @Test
  void whenTheNodeHostingAQueueDiesItsWaitingRunsAreDispatchedByItsNextIncarnation() throws Exception {
    try (TestCluster cluster = new TestCluster(3, Map.of(
        "griot.run.lease-timeout", "4s", "griot.run.heartbeat-interval", "500ms",
        "griot.queue.per-queue.serial.max-concurrency", 1))) {
      cluster.startAll();
      for (int i = 0; i < 3; i++) try (GrpcTestClient c = new GrpcTestClient(cluster.grpcPort(i))) {
        c.awaitReady();
      }
      List<String> runs = new ArrayList<>();
      int host;
      try (GrpcTestClient any = new GrpcTestClient(cluster.grpcPort(0))) {
        runs.add(submitSerial(any, 0)); // starts the queue entity on some node
        any.awaitRun(runs.get(0), Duration.ofSeconds(60), r -> r.getAttemptsCount() == 1);
        host = IntStream.range(0, 3).filter(i -> logSays(cluster, i, "queue serial started on this node")).findFirst().orElseThrow();
      }
      try (GrpcTestClient client = new GrpcTestClient(cluster.grpcPort(host == 2 ? 0 : 2))) { // a node the kill spares
        for (int i = 1; i <= 3; i++) runs.add(submitSerial(client, i)); // they wait: the queue lets one run at a time
        client.awaitRun(runs.get(3), Duration.ofSeconds(30), r -> r.getState() == RunState.RUN_STATE_QUEUED);
        cluster.kill(host);
        for (String id : runs) {
          Run done = client.awaitRun(id, Duration.ofSeconds(180), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
          List<Integer> turns = client.watch(id, 0).stream().filter(RunEvent::hasTurnCompleted)
              .map(e -> e.getTurnCompleted().getNumber()).toList();
          assertEquals(List.of(1, 2, 3, 4), turns, "run " + id + ": every turn once, in order");
          assertEquals(4, done.getCompletedTurns());
        }
      }
      assertTrue(IntStream.range(0, 3).filter(i -> i != host)
              .anyMatch(i -> logSays(cluster, i, "queue serial started on this node")),
          "the queue started again on a surviving node after node " + host + " died");
    }
  }

  private static String submitSerial(GrpcTestClient client, int i) throws Exception {
    return GrpcTestClient.await(client.runs.submitRun(SubmitRunRequest.newBuilder()
        .setHarness("scripted").setPrompt("serial " + i).setQueue("serial")
        .putOptions("turns", "4").putOptions("line_delay_ms", "150").putOptions("verify_resume", "true")
        .setRetry(RetryPolicy.newBuilder().setMaxAttempts(10)).build())).getRun().getRunId();
  }

  private static boolean logSays(TestCluster cluster, int node, String text) {
    try {
      return java.nio.file.Files.readString(cluster.log(node)).contains(text);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** Starts the cluster and connects to its third node, which no kill reaches. */
  private static GrpcTestClient startAndConnect(TestCluster cluster) throws Exception {
    cluster.startAll();
    for (int i = 0; i < 2; i++) try (GrpcTestClient c = new GrpcTestClient(cluster.grpcPort(i))) {
      c.awaitReady();
    }
    GrpcTestClient third = new GrpcTestClient(cluster.grpcPort(2));
    third.awaitReady();
    return third;
  }

  private static int progress(GrpcTestClient client, List<String> runs) throws Exception {
    int sum = 0;
    for (String id : runs)
      sum += GrpcTestClient.await(client.runs.getRun(GetRunRequest.newBuilder().setRunId(id).build())).getCompletedTurns();
    return sum;
  }

  private static int progressUnchecked(GrpcTestClient client, List<String> runs) {
    try {
      return progress(client, runs);
    } catch (Exception e) {
      return -1;
    }
  }
}
