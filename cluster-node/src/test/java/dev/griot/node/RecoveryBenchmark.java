package dev.griot.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.griot.agent.run.RunEntity;
import dev.griot.grpc.v1.SubmitRunRequest;
import dev.griot.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.cluster.sharding.ShardRegion.ClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.GetClusterShardingStats;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.slf4j.LoggerFactory;

/**
 * Issue 4: how long a restarted cluster takes to bring back N remembered runs, and whether that
 * overloads Cassandra. One control-only node (no worker, so every run stays queued and remembered)
 * takes N submits, stops (its shards and remembered entities are in the journal), and a new node
 * on the same keyspace starts: the time from its start until the sharding stats count N live run
 * entities, and every warning or error logged meanwhile (timeouts, failed recoveries, shards that
 * gave up), grouped.
 * Run with bench/run-recovery-benchmark.sh ({@code -Dbench.runs=10000}).
 */
public final class RecoveryBenchmark {

  static final int RUNS = Integer.getInteger("bench.runs", 10_000);

  public static void main(String[] args) throws Exception {
    var problems = new ConcurrentHashMap<String, AtomicInteger>();
    var appender = new AppenderBase<ILoggingEvent>() {
      @Override
      protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.WARN)) return;
        String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : " " + e.getThrowableProxy().getMessage());
        problems.computeIfAbsent(e.getLoggerName() + ": " + text.lines().findFirst().orElse("").replaceAll("[0-9a-f-]{36}", "…"),
              k -> new AtomicInteger()).incrementAndGet();
      }
    };
    appender.start();
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);

    String keyspace = TestCassandra.freshKeyspace("recovery");
    Map<String, Object> controlOnly = Map.of("griot.node.roles", "control");
    System.out.printf("machine: %d cores; %d runs, one control-only node (no worker: every run stays queued)%n",
        Runtime.getRuntime().availableProcessors(), RUNS);
    long submitStart = System.nanoTime();
    try (TestNode first = TestNode.startIn(keyspace, controlOnly); GrpcTestClient client = new GrpcTestClient(first.grpcPort)) {
      client.awaitReady();
      Semaphore inFlight = new Semaphore(64);
      for (int i = 0; i < RUNS; i++) {
        inFlight.acquire();
        client.runs.submitRun(SubmitRunRequest.newBuilder().setHarness("shell").setPrompt("wait " + i)
                .putOptions("command", "true").build())
            .whenComplete((ok, err) -> {
              inFlight.release();
              if (err != null) System.err.println("submit failed: " + err);
            });
      }
      inFlight.acquire(64);
      System.out.printf("submitted %d runs in %.1f s; %d live entities%n", RUNS, (System.nanoTime() - submitStart) / 1e9,
          liveEntities(first));
    }
    problems.clear();
    long start = System.nanoTime();
    try (TestNode second = TestNode.startIn(keyspace, controlOnly)) {
      int seen = 0;
      long firstAll = -1;
      long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
      while (System.nanoTime() < deadline) {
        seen = liveEntities(second);
        if (seen >= RUNS) {
          firstAll = System.nanoTime();
          break;
        }
        Thread.sleep(250);
      }
      System.out.printf("restart → %d of %d remembered runs live again: %s%n", seen, RUNS,
          firstAll < 0 ? "not within 10 minutes" : String.format("%.1f s", (firstAll - start) / 1e9));
      System.out.println("warnings and errors while recovering: " + (problems.isEmpty() ? "none" : ""));
      problems.forEach((k, v) -> System.out.printf("  %5d × %s%n", v.get(), k));
    }
    System.exit(0);
  }

  /** Run entities alive on the node's shard regions, from the sharding stats. */
  static int liveEntities(TestNode node) throws Exception {
    ClusterShardingStats stats = AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery, ClusterShardingStats>ask(
            ClusterSharding.get(node.system).shardState(),
            replyTo -> new GetClusterShardingStats(RunEntity.ENTITY_KEY, Duration.ofSeconds(5), replyTo),
            Duration.ofSeconds(10), node.system.scheduler())
        .toCompletableFuture().get(15, TimeUnit.SECONDS);
    int total = 0;
    for (var region : stats.getRegions().values()) for (Object n : region.getStats().values()) total += ((Number) n).intValue();
    return total;
  }
}
