package dev.griot.node;

import dev.griot.grpc.v1.Run;
import dev.griot.grpc.v1.RunState;
import dev.griot.grpc.v1.SubmitRunRequest;
import dev.griot.persistence.testkit.TestCassandra;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How many concurrent scripted harnesses one node carries, and what each active run costs (run
 * with bench/run-slots-benchmark.sh). For each slot count K: K scripted runs of T turns with a
 * per-line delay, all at once; once all K run, the node's heap (after a GC) and RSS against the
 * idle node, and the harness processes' own RSS; then the time until all complete against the
 * time one run needs alone.
 */
public final class SlotsBenchmark {

  public static void main(String[] args) throws Exception {
    int turns = Integer.getInteger("bench.turns", 10);
    int delayMs = Integer.getInteger("bench.line-delay-ms", 300);
    TestCassandra.ensureStarted();
    System.out.printf("machine: %d cores; scripted runs of %d turns, %d ms per line, harnesses in the process sandbox%n",
        Runtime.getRuntime().availableProcessors(), turns, delayMs);
    for (String k : System.getProperty("bench.slots", "8,16,32").split(",")) {
      int slots = Integer.parseInt(k.trim());
      try (TestNode node = TestNode.start("slots", Map.of("griot.worker.slots", slots));
           GrpcTestClient client = new GrpcTestClient(node.grpcPort)) {
        client.awaitReady();
        SubmitRunRequest request = SubmitRunRequest.newBuilder().setHarness("scripted").setPrompt("slots")
            .putOptions("turns", String.valueOf(turns)).putOptions("line_delay_ms", String.valueOf(delayMs)).build();
        // one run alone: the time a run needs when nothing else runs
        long a0 = System.nanoTime();
        String alone = GrpcTestClient.await(client.runs.submitRun(request)).getRun().getRunId();
        client.awaitRun(alone, Duration.ofMinutes(5), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        double aloneS = (System.nanoTime() - a0) / 1e9;
        long heapIdle = heapAfterGc();
        long rssIdle = rss(ProcessHandle.current().pid());

        long t0 = System.nanoTime();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < slots; i++) ids.add(GrpcTestClient.await(client.runs.submitRun(request)).getRun().getRunId());
        for (String id : ids) client.awaitRun(id, Duration.ofMinutes(5), r -> r.getCompletedTurns() >= 1);
        long heapActive = heapAfterGc();
        long rssActive = rss(ProcessHandle.current().pid());
        long harnessRss = 0;
        int harnesses = 0;
        try (var noted = Files.list(node.harnessNotes())) {
          for (Path f : noted.toList()) {
            long pid = Long.parseLong(f.getFileName().toString());
            var tree = new ArrayList<>(ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of()));
            ProcessHandle.of(pid).ifPresent(tree::add);
            for (ProcessHandle p : tree) harnessRss += rss(p.pid());
            harnesses++;
          }
        }
        for (String id : ids) client.awaitRun(id, Duration.ofMinutes(10), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        double allS = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%3d slots: all %d ran at once (%d harnesses seen live); node heap +%.2f MiB/run, node RSS +%.2f MiB/run,"
                + " harness process tree RSS %.1f MiB/run; all done in %.1f s vs %.1f s for one alone (%.2fx)%n",
            slots, slots, harnesses, (heapActive - heapIdle) / 1048576.0 / slots, (rssActive - rssIdle) / 1048576.0 / slots,
            harnesses == 0 ? 0 : harnessRss / 1048576.0 / harnesses, allS, aloneS, allS / aloneS);
      }
    }
    System.exit(0);
  }

  static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Resident set of a process in bytes (VmRSS), 0 when it is gone. */
  static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
    } catch (Exception e) {
      return 0;
    }
    return 0;
  }
}
