package dev.griot.node;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.griot.grpc.v1.*;
import dev.griot.persistence.testkit.TestCassandra;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Failover time (issue 4): SIGKILL a node of a three-node cluster while runs are in flight, and
 * measure, for every run the kill affected, the time from the kill to the run's first new
 * journaled event (the row's writetime in Cassandra). A run is affected when its harness ran on
 * the killed node (its worker was lost) or its entity lived there (the node that took it over
 * logs "recovered as running"). The same rounds run with Griot's settings and with Pekko's default
 * failure-detector and split-brain settings. Harnesses are the light stand-in of the latency
 * benchmark (a Python script speaking Claude Code's stream-json) through the claude-code adapter,
 * in the process sandbox. Run with bench/run-failover-benchmark.sh.
 */
public final class FailoverBenchmark {

  static final int RUNS = Integer.getInteger("bench.runs", 45);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
  static final int GAP_MS = 100;

  public static void main(String[] args) throws Exception {
    Path harnessDir = Files.createTempDirectory("griot-failover-harness");
    Path harness = harnessDir.resolve("latency-harness.py");
    try (InputStream in = FailoverBenchmark.class.getResourceAsStream("/bench/latency-harness.py")) {
      Files.copy(in, harness, StandardCopyOption.REPLACE_EXISTING);
    }
    harness.toFile().setExecutable(true);
    System.out.printf("machine: %d cores, %s; %d rounds of %d runs per setting, one SIGKILL per round%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"), ROUNDS, RUNS);
    Map<String, Map<String, Object>> settings = new LinkedHashMap<>();
    settings.put("griot (cluster.conf)", Map.of());
    // The lever docs/failover.md names, measured beside: a shorter stable-after (and with it the
    // removal margin) and a shorter pause, at the price of taking a busy node for dead sooner.
    if (!Boolean.getBoolean("bench.skip-fast"))
      settings.put("griot, faster downing", Map.of(
          "pekko.cluster.split-brain-resolver.stable-after", "2s",
          "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "1500ms"));
    settings.put("pekko defaults", Map.of(
        "pekko.cluster.split-brain-resolver.stable-after", "20s",
        "pekko.cluster.failure-detector.acceptable-heartbeat-pause", "3s",
        "pekko.cluster.failure-detector.heartbeat-interval", "1s"));
    String only = System.getProperty("bench.only", ""); // e.g. cluster.conf: the settings whose name holds it
    settings.keySet().removeIf(name -> !name.contains(only));
    Map<String, List<Long>> results = new LinkedHashMap<>();
    for (var s : settings.entrySet()) {
      List<Long> all = new ArrayList<>();
      for (int round = 1; round <= ROUNDS; round++) all.addAll(round(s.getKey(), round, s.getValue(), harnessDir, harness));
      results.put(s.getKey(), all);
    }
    System.out.println();
    System.out.println("failover time: SIGKILL → first new journaled event of each affected run");
    results.forEach((name, t) -> {
      Collections.sort(t);
      System.out.printf("  %-22s n=%3d  p50 %6.2f s  p99 %6.2f s  max %6.2f s%n", name, t.size(),
          pct(t, 50) / 1e6, pct(t, 99) / 1e6, t.isEmpty() ? 0 : t.get(t.size() - 1) / 1e6);
    });
    System.exit(0);
  }

  /** One cluster, RUNS runs, one SIGKILL of the oldest node; the affected runs' failover times in µs. */
  static List<Long> round(String name, int round, Map<String, Object> extra, Path harnessDir, Path harness) throws Exception {
    Map<String, Object> props = new HashMap<>(extra);
    props.put("griot.harnesses.claude-code.read-only-paths.0", harnessDir.toString());
    props.put("griot.worker.slots", RUNS);
    try (TestCluster cluster = new TestCluster(3, props)) {
      cluster.startAll();
      for (int i = 0; i < 2; i++) try (GrpcTestClient c = new GrpcTestClient(cluster.grpcPort(i))) {
        c.awaitReady();
      }
      try (GrpcTestClient client = new GrpcTestClient(cluster.grpcPort(2))) {
        client.awaitReady();
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < RUNS; i++)
          runs.add(GrpcTestClient.await(client.runs.submitRun(SubmitRunRequest.newBuilder()
              .setHarness("claude-code").setPrompt("turns=100000 gap_ms=" + GAP_MS)
              .putOptions("program", harness.toString())
              .setRetry(RetryPolicy.newBuilder().setMaxAttempts(5)).build())).getRun().getRunId());
        Map<String, String> workerHost = new HashMap<>();
        for (String id : runs) {
          Run r = client.awaitRun(id, Duration.ofSeconds(180), x -> x.getCompletedTurns() >= 3);
          workerHost.put(id, r.getAttempts(r.getAttemptsCount() - 1).getWorkerId());
        }
        long killedAt = System.currentTimeMillis() * 1000;
        cluster.kill(0); // the oldest node: seed, shard coordinator, a third of the entities and workers
        String killed = "griot@127.0.0.1:";
        // every affected run journals again (or gives up): wait until each has a new event
        Map<String, Long> firstAfter = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (firstAfter.size() < runs.size() && System.nanoTime() < deadline) {
          for (String id : runs) {
            if (firstAfter.containsKey(id)) continue;
            long first = firstEventAfter(cluster, id, killedAt);
            if (first != Long.MAX_VALUE) firstAfter.put(id, first);
          }
          Thread.sleep(200);
        }
        String survivors = Files.readString(cluster.log(1)) + Files.readString(cluster.log(2));
        List<Long> times = new ArrayList<>();
        Map<String, List<Long>> byLoss = new LinkedHashMap<>();
        int workerLost = 0;
        int ownerLost = 0;
        for (String id : runs) {
          boolean lostWorker = workerHost.get(id).contains(killed);
          boolean lostOwner = survivors.contains("run " + id + " recovered as");
          if (lostWorker) workerLost++;
          if (lostOwner) ownerLost++;
          if (!lostWorker && !lostOwner) continue;
          Long t = firstAfter.get(id);
          if (t == null) throw new IllegalStateException("run " + id + " journaled nothing within 3 minutes of the kill");
          times.add(t - killedAt);
          String loss = lostWorker && lostOwner ? "both" : lostWorker ? "worker only" : "owner only";
          byLoss.computeIfAbsent(loss, k -> new ArrayList<>()).add(t - killedAt);
        }
        Collections.sort(times);
        StringBuilder split = new StringBuilder();
        byLoss.forEach((loss, t) -> {
          Collections.sort(t);
          split.append(String.format("; %s: n=%d p50 %.2f s", loss, t.size(), pct(t, 50) / 1e6));
        });
        System.out.printf("%s, round %d: %d runs, %d lost their worker, %d their owner; failover p50 %.2f s, max %.2f s%s%n",
            name, round, runs.size(), workerLost, ownerLost, pct(times, 50) / 1e6,
            times.isEmpty() ? 0 : times.get(times.size() - 1) / 1e6, split);
        for (String id : runs) client.runs.cancelRun(CancelRunRequest.newBuilder().setRunId(id).build());
        return times;
      }
    }
  }

  /** The writetime of the run's first event written after {@code after} (µs). */
  static long firstEventAfter(TestCluster cluster, String runId, long after) {
    long first = Long.MAX_VALUE;
    for (var row : TestCassandra.session().execute(SimpleStatement.newInstance(
        "SELECT writetime(event) FROM " + cluster.keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0",
        runId))) {
      long w = row.getLong(0);
      if (w > after && w < first) first = w;
    }
    return first;
  }

  static long pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) return 0;
    return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
  }
}
