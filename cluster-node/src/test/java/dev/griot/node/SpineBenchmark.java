package dev.griot.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import dev.griot.agent.run.RetryPolicy;
import dev.griot.agent.run.RunCommand;
import dev.griot.agent.run.RunEntity;
import dev.griot.agent.run.RunEvent;
import dev.griot.agent.run.RunSpec;
import dev.griot.agent.run.RunTimeouts;
import dev.griot.grpc.v1.RunState;
import dev.griot.grpc.v1.SubmitRunRequest;
import dev.griot.persistence.testkit.TestCassandra;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * The spine's figures on one node and the real Cassandra (run with bench/run-benchmark.sh):
 *
 * <ol>
 *   <li>submit→running latency: runs submitted one at a time through gRPC with free slots; the
 *       latency is RunSubmitted → AttemptStarted in the run's own journal;
 *   <li>end-to-end throughput: many scripted runs (no delays) at once; runs/s and journaled
 *       events/s until the last completes;
 *   <li>journal throughput: C virtual workers drive run entities through the real worker
 *       protocol (lease, start, one turn at a time, each acknowledged after it is journaled) with
 *       no harness process, against the raw driver writing rows of the same size into the same
 *       table at the same concurrency, in the same run; and the ratio.
 * </ol>
 */
public final class SpineBenchmark {

  static final int LATENCY_RUNS = Integer.getInteger("bench.latency-runs", 100);
  static final int THROUGHPUT_RUNS = Integer.getInteger("bench.throughput-runs", 100);
  static final int TURNS = Integer.getInteger("bench.turns", 5);
  static final int SLOTS = Integer.getInteger("bench.slots", 8);
  static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 16);
  static final int JOURNAL_TURNS = Integer.getInteger("bench.journal-turns", 100);

  public static void main(String[] args) throws Exception {
    System.out.printf("machine: %d cores, %s, %s; max heap %d MiB%n", Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.version"), System.getProperty("java.vm.name")
            + " " + System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
    TestCassandra.ensureStarted();
    String phases = System.getProperty("bench.phases", "end-to-end,journal");
    if (phases.contains("end-to-end")) endToEnd();
    if (phases.contains("journal")) journal();
    System.exit(0);
  }

  // ---- 1 + 2: through gRPC, with the scripted harness ------------------------------------

  static SubmitRunRequest scripted(int turns) {
    return SubmitRunRequest.newBuilder().setHarness("scripted").setPrompt("benchmark")
        .putOptions("transcript", "claude-bash-tool").putOptions("turns", String.valueOf(turns)).build();
  }

  static void endToEnd() throws Exception {
    try (TestNode node = TestNode.start("bench", Map.of("griot.worker.slots", SLOTS));
         GrpcTestClient client = new GrpcTestClient(node.grpcPort)) {
      client.awaitReady();
      for (int i = 0; i < 10; i++) { // warm-up: JIT, connections, prepared statements
        String id = GrpcTestClient.await(client.runs.submitRun(scripted(1))).getRun().getRunId();
        client.awaitRun(id, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
      }

      List<Long> latencies = new ArrayList<>();
      List<Long> toAssigned = new ArrayList<>();
      List<Long> rpc = new ArrayList<>();
      for (int i = 0; i < LATENCY_RUNS; i++) {
        long t0 = System.nanoTime();
        String id = GrpcTestClient.await(client.runs.submitRun(scripted(1))).getRun().getRunId();
        rpc.add(System.nanoTime() - t0);
        client.awaitRun(id, Duration.ofSeconds(60), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        var events = client.watch(id, 0);
        Instant submitted = instant(events.get(0).getAt());
        Instant assigned = events.stream().filter(e -> e.hasAttemptAssigned()).findFirst().map(e -> instant(e.getAt())).orElseThrow();
        Instant started = events.stream().filter(e -> e.hasAttemptStarted()).findFirst().map(e -> instant(e.getAt())).orElseThrow();
        latencies.add(Duration.between(submitted, started).toNanos());
        toAssigned.add(Duration.between(submitted, assigned).toNanos());
      }
      System.out.printf("submit→running (journal time, %d runs one at a time): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          LATENCY_RUNS, ms(pct(latencies, 50)), ms(pct(latencies, 99)), ms(pct(latencies, 100)));
      System.out.printf("  of which submit→assigned: p50 %.1f ms, p99 %.1f ms (the rest: sandbox start and its report)%n",
          ms(pct(toAssigned, 50)), ms(pct(toAssigned, 99)));
      System.out.printf("SubmitRun RPC round trip (client): p50 %.1f ms, p99 %.1f ms%n", ms(pct(rpc, 50)), ms(pct(rpc, 99)));

      long t0 = System.nanoTime();
      List<CompletableFuture<String>> ids = new ArrayList<>();
      for (int i = 0; i < THROUGHPUT_RUNS; i++)
        ids.add(client.runs.submitRun(scripted(TURNS)).thenApply(r -> r.getRun().getRunId()).toCompletableFuture());
      long events = 0;
      for (var f : ids) {
        String id = f.get();
        var done = client.awaitRun(id, Duration.ofMinutes(10), r -> r.getState() == RunState.RUN_STATE_COMPLETED);
        events += done.getLastSequenceNr();
      }
      double secs = (System.nanoTime() - t0) / 1e9;
      System.out.printf("end to end: %d scripted runs of %d turns, %d slots: %.1f s, %.2f runs/s, %.0f journaled events/s%n",
          THROUGHPUT_RUNS, TURNS, SLOTS, secs, THROUGHPUT_RUNS / secs, events / secs);
    }
  }

  // ---- 3: the journal path against the raw driver ----------------------------------------

  static void journal() throws Exception {
    try (TestNode node = TestNode.start("benchj", Map.of("griot.worker.slots", 0));
         GrpcTestClient client = new GrpcTestClient(node.grpcPort)) {
      client.awaitReady(); // sharding is up
      var system = node.system;
      Turn turn = new Turn(1, List.of(
          new TurnItem.ToolCall("toolu_stub_1", "Bash", "{\"command\":\"echo hello-from-sandbox\",\"description\":\"say hello\"}"),
          new TurnItem.ToolResult("toolu_stub_1", "hello-from-sandbox", false),
          new TurnItem.Message("msg_stub_2", "The command printed hello-from-sandbox.")), new Usage(11, 1, 0, 0));
      var sample = new RunEvent.TurnJournaled(1, turn, Instant.now(), java.util.Optional.empty());
      int eventBytes = SerializationExtension.get(system.classicSystem()).serialize(sample).get().length;

      ClusterSharding sharding = ClusterSharding.get(system);
      RunSpec spec = new RunSpec("scripted", "benchmark", Map.of(), "default",
          new RunTimeouts(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO),
          new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0), "");
      Duration t = Duration.ofSeconds(30);
      ActorRef<RunCommand.AttemptControl> nobody = system.deadLetters();

      // warm-up round, then the measured one
      double rate = 0;
      double cpuPerTurn = 0;
      for (int round = 0; round < 2; round++) {
        int turns = JOURNAL_TURNS; // round 0 warms the JIT up on the same work
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        for (int w = 0; w < CONCURRENCY; w++) {
          String runId = "run-" + UUID.randomUUID();
          EntityRef<RunCommand> run = sharding.entityRefFor(RunEntity.ENTITY_KEY, runId);
          CompletionStage<?> chain = run.<RunCommand.Reply>ask(r -> new RunCommand.Submit(spec, r), t)
              .thenCompose(x -> run.<RunCommand.LeaseReply>ask(r -> new RunCommand.OfferSlot("bench", r), t))
              .thenCompose(x -> run.<RunCommand.WorkerReply>ask(r -> new RunCommand.ReportStarted(1, nobody, r), t));
          for (int n = 1; n <= turns; n++) {
            Turn next = new Turn(n, turn.items(), turn.usage());
            chain = chain.thenCompose(x -> run.<RunCommand.WorkerReply>ask(r -> new RunCommand.ReportTurn(1, next, java.util.Optional.empty(), r), t)
                .thenApply(reply -> {
                  if (!(reply instanceof RunCommand.Acked)) throw new IllegalStateException("turn not acked: " + reply);
                  return reply;
                }));
          }
          workers.add(chain.thenApply(x -> (Void) null).toCompletableFuture());
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get();
        rate = (double) CONCURRENCY * turns / ((System.nanoTime() - t0) / 1e9);
        cpuPerTurn = (processCpuNanos() - cpu0) / 1e3 / (CONCURRENCY * turns);
      }
      System.out.printf("journal: %d workers each reporting %d turns one at a time: %.0f turns journaled+acked/s (event %d bytes),"
          + " %.0f µs of this JVM's CPU per turn%n", CONCURRENCY, JOURNAL_TURNS, rate, eventBytes, cpuPerTurn);

      double raw = rawDriver(TestCassandra.session(), node.keyspace, eventBytes);
      System.out.printf("raw driver: %d writers each inserting %d rows of %d bytes one at a time into %s.messages: %.0f rows/s,"
          + " %.0f µs of this JVM's CPU per row%n", CONCURRENCY, JOURNAL_TURNS, eventBytes, node.keyspace, raw, rawCpuPerRow);
      System.out.printf("ratio journal / raw driver: %.0f %%%n", 100 * rate / raw);
    }
  }

  static double rawDriver(CqlSession session, String keyspace, int bytes) throws Exception {
    PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".messages (persistence_id, partition_nr,"
        + " sequence_nr, timestamp, timebucket, writer_uuid, ser_id, ser_manifest, event_manifest, event)"
        + " VALUES (?, 0, ?, ?, ?, ?, 33, ?, '', ?)");
    byte[] payload = new byte[bytes];
    new java.util.Random(1).nextBytes(payload);
    String writer = UUID.randomUUID().toString();
    double rate = 0;
    for (int round = 0; round < 2; round++) {
      int rows = JOURNAL_TURNS;
      AtomicLong done = new AtomicLong();
      long cpu0 = processCpuNanos();
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      long t0 = System.nanoTime();
      for (int w = 0; w < CONCURRENCY; w++) {
        String pid = "raw-" + UUID.randomUUID();
        CompletionStage<?> chain = CompletableFuture.completedFuture(null);
        for (int n = 1; n <= rows; n++) {
          long seq = n;
          chain = chain.thenCompose(x -> session.executeAsync(insert.bind(pid, seq, Uuids.timeBased(), "20261122T10",
              writer, "dev.griot.agent.run.RunEvent$TurnJournaled", ByteBuffer.wrap(payload)))).thenApply(rs -> done.incrementAndGet());
        }
        writers.add(chain.thenApply(x -> (Void) null).toCompletableFuture());
      }
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get();
      rate = done.get() / ((System.nanoTime() - t0) / 1e9);
      rawCpuPerRow = (processCpuNanos() - cpu0) / 1e3 / done.get();
    }
    return rate;
  }

  static double rawCpuPerRow;

  /** CPU time of this whole JVM (node, client and benchmark): Cassandra runs in its own. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  static long pct(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }
}
