package dev.griot.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.run.RunEvent;
import dev.griot.grpc.v1.RetryPolicy;
import dev.griot.grpc.v1.RunState;
import dev.griot.grpc.v1.SubmitRunRequest;
import dev.griot.grpc.v1.WatchRunRequest;
import dev.griot.persistence.testkit.TestCassandra;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Harness line → journaled event latency on one node with the real Cassandra (run with
 * bench/run-latency-benchmark.sh).
 *
 * <p>The harness is a small script standing in for Claude Code (resources {@code
 * bench/latency-harness.py}), run by the {@code claude-code} adapter in the node's sandbox (the
 * process kind: bubblewrap and cgroups) and read by the real stream-json parser. It prints paced
 * turns whose lines carry the wall-clock microsecond they were written at. The node's journal
 * plugin is the Cassandra plugin with a timing hook ({@link TimedCassandraJournal}): for each
 * {@code TurnJournaled} it notes when the journal was asked to write it and when Cassandra
 * acknowledged the write. The turn's own items carry the stamps of its lines, and the next turn's
 * (or the result's) stamp is the line that completed it, so every turn gives:
 *
 * <ul>
 *   <li>completing line → journaled: the line that makes the parser close turn n written →
 *       Cassandra acknowledged the event. With the raw stream the harness prints (as Claude Code
 *       does with {@code --include-partial-messages}), that is turn n's own tool result; a turn
 *       whose write began only after turn n+1's first line (or the result) counts from that line;
 *   <li>split at the journal's write call: the node's path (pipe, reader thread, AttemptRunner,
 *       parser, report through sharding, run entity; split again at the entity's command handler,
 *       whose clock reading {@code TurnJournaled.at} is in the event) and the plugin plus Cassandra
 *       (split again at the driver request: the row's {@code writetime}, the driver's client-side
 *       microsecond timestamp);
 *   <li>turn's last line → journaled: the tool result written → journaled (the same as the
 *       completing line when the parser closes the turn there);
 *   <li>completing line → seen on a live WatchRun stream (a gRPC client subscribed from the start).
 * </ul>
 *
 * The baseline, in the same run: the raw driver writing rows of the same size into the same table,
 * one at a time at the turns' pace, in phases alternating with the harness runs so that both see
 * the same machine.
 */
public final class LatencyBenchmark {

  static final int RUNS = Integer.getInteger("bench.runs", 5);
  static final int TURNS = Integer.getInteger("bench.turns", 400);
  static final int WARMUP_TURNS = Integer.getInteger("bench.warmup-turns", 300);
  static final int GAP_MS = Integer.getInteger("bench.gap-ms", 20);

  private static final Pattern STAMP = Pattern.compile("written_us\"?[:=](\\d+)");

  public static void main(String[] args) throws Exception {
    System.out.printf("machine: %d cores, %s, %s %s; max heap %d MiB; load average at start %s%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
        loadAverage());
    TestCassandra.ensureStarted();
    Path harnessDir = Files.createTempDirectory("griot-latency-harness");
    Path harness = harnessDir.resolve("latency-harness.py");
    try (InputStream in = LatencyBenchmark.class.getResourceAsStream("/bench/latency-harness.py")) {
      Files.copy(in, harness, StandardCopyOption.REPLACE_EXISTING);
    }
    if (!harness.toFile().setExecutable(true)) throw new IllegalStateException("cannot make " + harness + " executable");

    try (TestNode node = TestNode.start("latency", Map.of(
            "pekko.persistence.cassandra.journal.class", TimedCassandraJournal.class.getName(),
            "griot.harnesses.claude-code.read-only-paths", List.of(harnessDir.toString()),
            "griot.worker.slots", 2));
         GrpcTestClient client = new GrpcTestClient(node.grpcPort)) {
      client.awaitReady();
      System.out.printf("sandbox kind: %s; harness: %s through the claude-code adapter; %d ms between lines%n",
          node.system.settings().config().getString("griot.sandbox.kind"), harness, GAP_MS);

      Samples warm = run(client, node, harness, WARMUP_TURNS, true); // JIT, connections, prepared statements
      int bytes = (int) Math.round(warm.eventBytes.stream().mapToLong(Long::longValue).average().orElse(0));
      RawWriter rawWriter = new RawWriter(TestCassandra.session(), node.keyspace, bytes);
      rawWriter.write(200); // its warm-up
      // Harness runs and raw phases alternate, so both see the same machine (which others may share).
      Samples s = new Samples();
      List<Long> raw = new ArrayList<>();
      long gc0 = gcMillis();
      long gcCount0 = gcCount();
      for (int r = 0; r < RUNS; r++) {
        s.add(run(client, node, harness, TURNS, false));
        raw.addAll(rawWriter.write(TURNS));
      }
      long gcMs = gcMillis() - gc0;
      long gcs = gcCount() - gcCount0;

      int n = s.lineToDone.size();
      System.out.printf("%nharness line → journaled event, %d turns over %d runs (after a warm-up run of %d turns):%n",
          n, RUNS, WARMUP_TURNS);
      print("completing line → journaled (Cassandra acknowledged)", s.lineToDone);
      print("  of which line → journal write call (node path)", s.lineToCall);
      print("    of which line → run entity handles the report", s.lineToEntity);
      print("    of which run entity → journal write call", s.entityToCall);
      print("  of which journal write call → acknowledged", s.callToDone);
      print("    of which write call → driver request (plugin)", s.callToDriver);
      print("    of which driver request → acknowledged", s.driverToDone);
      print("turn's last line (tool result) → journaled", s.lastLineToDone);
      print("completing line → seen on WatchRun (gRPC)", s.lineToWatch);
      System.out.printf("  %d turns (%.1f %%) had their completing line written while the previous turn was still being journaled"
          + " (a worker has one report in flight: they wait for it)%n", s.queued, 100.0 * s.queued / Math.max(1, n));

      System.out.printf("%nraw driver baseline: %d single inserts of %d-byte rows (the mean size of the journaled turns) into"
          + " %s.messages, one at a time, one per %d ms, in phases between the runs:%n", raw.size(), bytes, node.keyspace, 2 * GAP_MS);
      print("raw driver write", raw);
      System.out.printf("%nratio line → journaled / raw write: p50 %.1fx, p99 %.1fx; overhead p50 %.2f ms, p99 %.2f ms%n",
          (double) pct(s.lineToDone, 50) / pct(raw, 50), (double) pct(s.lineToDone, 99) / pct(raw, 99),
          ms(pct(s.lineToDone, 50) - pct(raw, 50)), ms(pct(s.lineToDone, 99) - pct(raw, 99)));
      System.out.printf("this JVM (node, client, benchmark) during the measured runs and raw phases: %d GCs, %d ms of GC in all%n",
          gcs, gcMs);
      System.out.printf("load average at end %s%n", loadAverage());
    }
    System.exit(0);
  }

  /** Latencies in microseconds. */
  static final class Samples {
    final List<Long> lineToDone = new ArrayList<>();
    final List<Long> lineToCall = new ArrayList<>();
    final List<Long> lineToEntity = new ArrayList<>();
    final List<Long> entityToCall = new ArrayList<>();
    final List<Long> callToDone = new ArrayList<>();
    final List<Long> callToDriver = new ArrayList<>();
    final List<Long> driverToDone = new ArrayList<>();
    final List<Long> lastLineToDone = new ArrayList<>();
    final List<Long> lineToWatch = new ArrayList<>();
    final List<Long> eventBytes = new ArrayList<>();
    /** Turns whose completing line came while the previous turn's write was still under way. */
    int queued;

    void add(Samples o) {
      queued += o.queued;
      lineToDone.addAll(o.lineToDone);
      lineToCall.addAll(o.lineToCall);
      lineToEntity.addAll(o.lineToEntity);
      entityToCall.addAll(o.entityToCall);
      callToDone.addAll(o.callToDone);
      callToDriver.addAll(o.callToDriver);
      driverToDone.addAll(o.driverToDone);
      lastLineToDone.addAll(o.lastLineToDone);
      lineToWatch.addAll(o.lineToWatch);
      eventBytes.addAll(o.eventBytes);
    }
  }

  /** One run of {@code turns} turns, watched live from its submission; its samples. */
  static Samples run(GrpcTestClient client, TestNode node, Path harness, int turns, boolean warmUp) throws Exception {
    TimedCassandraJournal.WRITES.clear();
    String runId = GrpcTestClient.await(client.runs.submitRun(SubmitRunRequest.newBuilder()
            .setHarness("claude-code").setPrompt("turns=" + turns + " gap_ms=" + GAP_MS)
            .putOptions("program", harness.toString())
            .setRetry(RetryPolicy.newBuilder().setMaxAttempts(1))
            .build()))
        .getRun().getRunId();
    Map<Integer, Instant> seen = new ConcurrentHashMap<>();
    var watched = client.runs.watchRun(WatchRunRequest.newBuilder().setRunId(runId).build())
        .runWith(Sink.foreach(e -> {
          if (e.hasTurnCompleted()) seen.put(e.getTurnCompleted().getNumber(), Instant.now());
        }), client.system);
    if (warmUp) printSandboxTree(node, client, runId);
    watched.toCompletableFuture().get(turns * 2L * GAP_MS + 120_000, TimeUnit.MILLISECONDS);
    var done = client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getState() != RunState.RUN_STATE_RUNNING);
    if (done.getState() != RunState.RUN_STATE_COMPLETED)
      throw new IllegalStateException("run " + runId + " ended " + done.getState() + ": " + done.getLastFailure());

    // the run's writes, by turn; the stamps of each turn's lines, and of the result line
    Map<Integer, TimedCassandraJournal.Write> turnWrites = new HashMap<>();
    Map<Integer, Instant> handled = new HashMap<>(); // TurnJournaled.at: the entity's clock when it took the report
    Map<Integer, Long> firstLine = new HashMap<>();
    Map<Integer, Long> lastLine = new HashMap<>();
    long resultLine = -1;
    var serialization = SerializationExtension.get(node.system.classicSystem());
    Samples s = new Samples();
    for (TimedCassandraJournal.Write w : TimedCassandraJournal.WRITES) {
      if (!w.persistenceId().contains(runId)) continue;
      if (w.event() instanceof RunEvent.TurnJournaled t) {
        int number = t.turn().number();
        turnWrites.put(number, w);
        handled.put(number, t.at());
        s.eventBytes.add((long) serialization.serialize(t).get().length);
        for (TurnItem item : t.turn().items()) {
          String text = item instanceof TurnItem.ToolCall c ? c.inputJson()
              : item instanceof TurnItem.ToolResult r ? r.content() : "";
          long stamp = stamp(text);
          if (stamp < 0) continue;
          firstLine.putIfAbsent(number, stamp);
          lastLine.put(number, stamp);
        }
      } else if (w.event() instanceof RunEvent.RunCompleted c) {
        resultLine = stamp(c.resultText());
      }
    }
    if (turnWrites.size() != turns || resultLine < 0)
      throw new IllegalStateException("run " + runId + ": " + turnWrites.size() + " of " + turns + " turns journaled, result stamp " + resultLine);
    // The driver stamps each request with a client-side microsecond timestamp (the default
    // AtomicTimestampGenerator) when the plugin hands it the statement: the row's writetime.
    Map<Long, Long> requested = new HashMap<>();
    for (var row : TestCassandra.session().execute(SimpleStatement.newInstance("SELECT sequence_nr, writetime(event) FROM "
        + node.keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0", turnWrites.get(1).persistenceId())))
      requested.put(row.getLong(0), row.getLong(1));
    for (int n = 1; n <= turns; n++) {
      TimedCassandraJournal.Write w = turnWrites.get(n);
      long called = micros(w.called());
      // the line that let the parser close turn n: its own last line (the tool result) when the
      // write began before the next turn's first line existed, else that line (or the result)
      long next = n < turns ? firstLine.get(n + 1) : resultLine;
      long completing = called < next ? lastLine.get(n) : next;
      long journaled = micros(w.done());
      s.lineToDone.add(journaled - completing);
      s.lineToCall.add(called - completing);
      s.lineToEntity.add(micros(handled.get(n)) - completing);
      s.entityToCall.add(called - micros(handled.get(n)));
      s.callToDone.add(journaled - called);
      Long driverAt = requested.get(w.sequenceNr());
      if (driverAt != null) {
        s.callToDriver.add(driverAt - called);
        s.driverToDone.add(journaled - driverAt);
      }
      s.lastLineToDone.add(journaled - lastLine.get(n));
      if (n > 1 && micros(turnWrites.get(n - 1).done()) > completing) s.queued++; // one report in flight at a time
      Instant watchedAt = seen.get(n);
      if (watchedAt != null) s.lineToWatch.add(micros(watchedAt) - completing);
    }
    if (!warmUp)
      System.out.printf("run %s: %d turns, completing line → journaled p50 %.2f ms, p99 %.2f ms; %d of %d turns seen on the watch%n",
          runId, turns, ms(pct(s.lineToDone, 50)), ms(pct(s.lineToDone, 99)), s.lineToWatch.size(), turns);
    return s;
  }

  /** Shows once that the harness runs in the sandbox: the process tree under what the node noted. */
  static void printSandboxTree(TestNode node, GrpcTestClient client, String runId) throws Exception {
    client.awaitRun(runId, Duration.ofSeconds(60), r -> r.getCompletedTurns() >= 1);
    try (var noted = Files.list(node.harnessNotes())) {
      for (Path f : noted.toList()) {
        ProcessHandle.of(Long.parseLong(f.getFileName().toString())).ifPresent(p -> {
          List<String> tree = new ArrayList<>();
          tree.add(p.info().command().orElse("?"));
          p.descendants().forEach(d -> tree.add(d.info().command().orElse("?")));
          System.out.println("harness process tree: " + String.join(" → ", tree));
        });
      }
    }
  }

  /** One insert at a time into the journal's table, rows of a given size, paced like the turns. */
  static final class RawWriter {
    final CqlSession session;
    final PreparedStatement insert;
    final ByteBuffer payload;
    final String writer = UUID.randomUUID().toString();
    final String pid = "raw-" + UUID.randomUUID();
    long sequenceNr;

    RawWriter(CqlSession session, String keyspace, int bytes) {
      this.session = session;
      insert = session.prepare("INSERT INTO " + keyspace + ".messages (persistence_id, partition_nr,"
          + " sequence_nr, timestamp, timebucket, writer_uuid, ser_id, ser_manifest, event_manifest, event)"
          + " VALUES (?, 0, ?, ?, ?, ?, 33, ?, '', ?)");
      byte[] b = new byte[bytes];
      new java.util.Random(1).nextBytes(b);
      payload = ByteBuffer.wrap(b);
    }

    /** {@code count} writes, each timed from the call to the driver's answer, one per turn period. */
    List<Long> write(int count) throws InterruptedException {
      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        var statement = insert.bind(pid, ++sequenceNr, Uuids.timeBased(), "20261122T10", writer,
                "dev.griot.agent.run.RunEvent$TurnJournaled", payload.duplicate())
            .setConsistencyLevel(DefaultConsistencyLevel.QUORUM); // as the journal plugin's write profile
        long t0 = System.nanoTime();
        session.execute(statement);
        latencies.add((System.nanoTime() - t0) / 1000);
        Thread.sleep(2L * GAP_MS);
      }
      return latencies;
    }
  }

  static long gcMillis() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(b -> Math.max(0, b.getCollectionTime())).sum();
  }

  static long gcCount() {
    return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(b -> Math.max(0, b.getCollectionCount())).sum();
  }

  static long stamp(String text) {
    Matcher m = STAMP.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }

  static void print(String what, List<Long> micros) {
    if (micros.isEmpty()) {
      System.out.printf("  %-55s no samples%n", what);
      return;
    }
    double mean = micros.stream().mapToLong(Long::longValue).average().orElse(0);
    System.out.printf("  %-55s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   mean %7.2f ms   (n=%d)%n",
        what, ms(pct(micros, 50)), ms(pct(micros, 99)), ms(pct(micros, 100)), mean / 1000, micros.size());
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (Exception e) {
      return "?";
    }
  }

  static long pct(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1)));
  }

  static double ms(long micros) {
    return micros / 1000.0;
  }
}
