package dev.griot.node;

import static org.junit.jupiter.api.Assertions.*;

import dev.griot.grpc.v1.*;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Queues on a real node: its three slots pull from "default" and "serial" (max-concurrency 1) and
 * not from "unserved" (max-depth 2), so runs there wait and fill it.
 */
class QueueDispatchTest {

  private static TestNode node;
  private static GrpcTestClient client;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start("queues", Map.of(
        "griot.worker.slots", 3,
        "griot.worker.queues", List.of("default", "serial"),
        "griot.queue.per-queue.serial.max-concurrency", 1,
        "griot.queue.per-queue.unserved.max-depth", 2));
    client = node.client();
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  private static SubmitRunRequest.Builder run(String queue, int priority) {
    return SubmitRunRequest.newBuilder()
        .setHarness("scripted").setPrompt("Say hello")
        .putOptions("transcript", "claude-bash-tool").putOptions("turns", "2").putOptions("line_delay_ms", "40")
        .setQueue(queue).setPriority(priority);
  }

  private static String submit(SubmitRunRequest.Builder request) throws Exception {
    return GrpcTestClient.await(client.runs.submitRun(request.build())).getRun().getRunId();
  }

  private static Queue queue(String name) throws Exception {
    return GrpcTestClient.await(client.runs.getQueue(GetQueueRequest.newBuilder().setName(name).build()));
  }

  private static long millis(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  @Test
  void aQueueWithMaxConcurrencyOneRunsOneAtATimeHighestPriorityFirst() throws Exception {
    String first = submit(run("serial", 3).putOptions("turns", "6")); // long enough for three submits
    client.awaitRun(first, Duration.ofSeconds(30), r -> r.getAttemptsCount() == 1);
    // While it holds the queue's one place, three more wait, submitted lowest priority first.
    String low = submit(run("serial", 5));
    String normal = submit(run("serial", 0)); // 0: the default, 3
    String high = submit(run("serial", 1));

    List<Run> done = new ArrayList<>();
    for (String id : List.of(first, low, normal, high))
      done.add(client.awaitRun(id, Duration.ofSeconds(90), r -> r.getState() == RunState.RUN_STATE_COMPLETED));
    assertEquals(3, done.get(2).getPriority(), "0 asks for the default priority");

    done.sort(Comparator.comparingLong(r -> millis(r.getAttempts(0).getAssignedAt())));
    assertEquals(List.of(first, high, normal, low), done.stream().map(Run::getRunId).toList(),
        "the first run, then the others by priority");
    for (int i = 1; i < done.size(); i++) {
      Run before = done.get(i - 1);
      Run after = done.get(i);
      assertEquals(1, after.getAttemptsCount());
      assertTrue(millis(after.getAttempts(0).getAssignedAt()) >= millis(before.getAttempts(0).getEndedAt()),
          "never two attempts of the queue at once: " + before.getAttempts(0) + " / " + after.getAttempts(0));
    }
    TestProbe.create(client.system).awaitAssert(Duration.ofSeconds(10), () -> {
      Queue q = uncheckedQueue("serial");
      assertEquals(1, q.getMaxConcurrency());
      assertEquals(0, q.getWaiting() + q.getOffered() + q.getActive(), q.toString());
      return null;
    });
  }

  @Test
  void aFullQueueRefusesNewRunsButAnswersARepeatedSubmit() throws Exception {
    String a = submit(run("unserved", 3).setIdempotencyKey("unserved-a"));
    submit(run("unserved", 3));
    TestProbe.create(client.system).awaitAssert(Duration.ofSeconds(10), () -> {
      assertEquals(2, uncheckedQueue("unserved").getWaiting());
      return null;
    });

    Status full = GrpcTestClient.statusOf(client.runs.submitRun(run("unserved", 3).build()));
    assertEquals(Status.Code.RESOURCE_EXHAUSTED, full.getCode());
    assertTrue(full.getDescription().contains("max-depth 2"), full.getDescription());

    var again = GrpcTestClient.await(client.runs.submitRun(run("unserved", 3).setIdempotencyKey("unserved-a").build()));
    assertFalse(again.getCreated(), "the repeat finds the accepted run, full queue or not");
    assertEquals(a, again.getRun().getRunId());
    assertEquals(RunState.RUN_STATE_QUEUED, client.get(a).getState(), "no slot pulls from this queue");
  }

  @Test
  void badQueueRequestsAreInvalidArguments() {
    assertEquals(Status.Code.INVALID_ARGUMENT,
        GrpcTestClient.statusOf(client.runs.getQueue(GetQueueRequest.newBuilder().setName("Not A Queue").build())).getCode());
    assertEquals(Status.Code.INVALID_ARGUMENT,
        GrpcTestClient.statusOf(client.runs.getQueue(GetQueueRequest.newBuilder().build())).getCode());
    Status priority = GrpcTestClient.statusOf(client.runs.submitRun(run("default", 9).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, priority.getCode());
    assertTrue(priority.getDescription().contains("priority"), priority.getDescription());
  }

  @Test
  void aQueueNoRunHasUsedIsEmpty() throws Exception {
    Queue q = queue("never-used");
    assertEquals(0, q.getWaiting() + q.getOffered() + q.getActive());
    assertEquals(100_000, q.getMaxDepth(), "the default max-depth");
  }

  @Test
  void theCliShowsAQueue() {
    var out = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    int code;
    System.setOut(new java.io.PrintStream(out, true));
    try {
      code = new picocli.CommandLine(new dev.griot.node.cli.GriotCli())
          .execute("queue", "get", "serial", "--server", "127.0.0.1:" + node.grpcPort);
    } finally {
      System.setOut(stdout);
    }
    assertEquals(0, code, out.toString());
    assertTrue(out.toString().startsWith("serial  waiting="), out.toString());
    assertTrue(out.toString().contains("max-concurrency=1 max-depth=100000"), out.toString());
  }

  private static Queue uncheckedQueue(String name) {
    try {
      return queue(name);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
