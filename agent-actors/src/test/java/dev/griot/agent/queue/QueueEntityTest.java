package dev.griot.agent.queue;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.griot.agent.queue.QueueEntity.*;
import dev.griot.agent.worker.WorkerPool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** One queue entity, unsharded, with probes for the pools that pull from it. */
class QueueEntityTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");
  private static int queues;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static QueueSettings settings(String limits, Duration pullHold, Duration handOut) {
    return new QueueSettings(pullHold, handOut, Duration.ofMinutes(1), Duration.ofMinutes(3), Duration.ZERO,
        ConfigFactory.parseString(limits).withFallback(ConfigFactory.parseString("max-concurrency = 0, max-depth = 0")),
        ConfigFactory.empty());
  }

  private static ActorRef<Command> queue(QueueSettings settings) {
    return testKit.spawn(QueueEntity.create("q", settings), "queue-" + (++queues));
  }

  private static ActorRef<Command> queue() {
    return queue(settings("", Duration.ofMinutes(1), Duration.ofMinutes(1)));
  }

  private static Track waiting(String runId, int priority, int secondsAfterT) {
    return new Track("q", runId, Phase.WAITING, priority, T.plusSeconds(secondsAfterT));
  }

  private static Track phase(String runId, Phase phase) {
    return new Track("q", runId, phase, 3, T);
  }

  private static List<String> pull(ActorRef<Command> queue, TestProbe<Pulled> pool, String name, int slots) {
    queue.tell(new Pull(name, slots, pool.ref()));
    return pool.receiveMessage().runIds();
  }

  private static QueueView view(ActorRef<Command> queue) {
    TestProbe<QueueView> probe = testKit.createTestProbe();
    queue.tell(new Get(probe.ref()));
    return probe.receiveMessage();
  }

  @Test
  void aPullIsHeldUntilARunWaitsThenAnsweredWithIt() {
    var queue = queue();
    TestProbe<Pulled> pool = testKit.createTestProbe();
    queue.tell(new Pull("node-1", 2, pool.ref()));
    pool.expectNoMessage(Duration.ofMillis(200));
    assertEquals(1, view(queue).pullingPools());
    queue.tell(waiting("run-a", 3, 0));
    assertEquals(new Pulled("q", List.of("run-a")), pool.receiveMessage());
    QueueView v = view(queue);
    assertEquals(0, v.waiting());
    assertEquals(1, v.offered(), "handed out, not yet leased");
  }

  @Test
  void runsGoOutByPriorityThenOldestFirst() {
    var queue = queue();
    queue.tell(waiting("run-late-normal", 3, 30));
    queue.tell(waiting("run-early-low", 5, 0));
    queue.tell(waiting("run-early-normal", 3, 10));
    queue.tell(waiting("run-urgent", 1, 60));
    TestProbe<Pulled> pool = testKit.createTestProbe();
    assertEquals(List.of("run-urgent", "run-early-normal", "run-late-normal", "run-early-low"), pull(queue, pool, "node-1", 8));
  }

  @Test
  void aPullGetsNoMoreRunsThanItHasSlotsAndRunsSpreadOverPools() {
    var queue = queue();
    TestProbe<Pulled> one = testKit.createTestProbe();
    TestProbe<Pulled> two = testKit.createTestProbe();
    queue.tell(new Pull("node-1", 2, one.ref()));
    queue.tell(new Pull("node-2", 2, two.ref()));
    for (int i = 0; i < 5; i++) queue.tell(waiting("run-" + i, 3, i));
    // each run arrives alone, so each pull takes the first run it can: one apiece
    assertEquals(List.of("run-0"), one.receiveMessage().runIds());
    assertEquals(List.of("run-1"), two.receiveMessage().runIds());
    assertEquals(List.of("run-2", "run-3"), pull(queue, one, "node-1", 2), "a pull with runs waiting is answered at once");
    assertEquals(List.of("run-4"), pull(queue, two, "node-2", 2));
  }

  @Test
  void maxConcurrencyCountsActiveAndHandedOutRuns() {
    var queue = queue(settings("max-concurrency = 2", Duration.ofMinutes(1), Duration.ofMinutes(1)));
    queue.tell(phase("run-active", Phase.ACTIVE));
    queue.tell(waiting("run-a", 3, 0));
    queue.tell(waiting("run-b", 3, 1));
    TestProbe<Pulled> pool = testKit.createTestProbe();
    assertEquals(List.of("run-a"), pull(queue, pool, "node-1", 4), "one active: room for one more");
    queue.tell(new Pull("node-1", 4, pool.ref()));
    pool.expectNoMessage(Duration.ofMillis(200)); // run-active and run-a (offered) fill it
    queue.tell(phase("run-a", Phase.ACTIVE)); // leased: still counts
    pool.expectNoMessage(Duration.ofMillis(200));
    queue.tell(phase("run-active", Phase.GONE)); // finished: room again
    assertEquals(List.of("run-b"), pool.receiveMessage().runIds());
    QueueView v = view(queue);
    assertEquals(2, v.maxConcurrency());
    assertEquals(1, v.active());
    assertEquals(1, v.offered());
  }

  @Test
  void unclaimedRunsGoBackToTheirPlace() {
    var queue = queue();
    queue.tell(waiting("run-a", 3, 0));
    queue.tell(waiting("run-b", 3, 1));
    TestProbe<Pulled> pool = testKit.createTestProbe();
    assertEquals(List.of("run-a", "run-b"), pull(queue, pool, "node-1", 2));
    queue.tell(waiting("run-c", 3, 2));
    queue.tell(new Unclaimed(List.of("run-a")));
    assertEquals(List.of("run-a", "run-c"), pull(queue, pool, "node-2", 2));
  }

  @Test
  void aRunHandedOutGoesBackInLineWhenNoLeaseFollowsInTime() {
    var queue = queue(settings("", Duration.ofMinutes(1), Duration.ofMillis(300)));
    queue.tell(waiting("run-a", 3, 0));
    TestProbe<Pulled> pool = testKit.createTestProbe();
    assertEquals(List.of("run-a"), pull(queue, pool, "node-1", 1));
    queue.tell(waiting("run-a", 3, 0)); // a relay's refresh, while the offer is under way
    queue.tell(new Pull("node-2", 1, pool.ref()));
    pool.expectNoMessage(Duration.ofMillis(100));
    // The offer never became a lease (the worker died): the queue's sweep puts it back by itself.
    assertEquals(List.of("run-a"), pool.receiveMessage(Duration.ofSeconds(3)).runIds());
  }

  @Test
  void aBatchOfTracksIsTakenInOrder() {
    var queue = queue();
    queue.tell(new TrackBatch("q", List.of(
        waiting("run-a", 3, 0), waiting("run-b", 3, 1), phase("run-a", Phase.GONE), waiting("run-c", 2, 2))));
    TestProbe<Pulled> pool = testKit.createTestProbe();
    assertEquals(List.of("run-c", "run-b"), pull(queue, pool, "node-1", 4));
  }

  @Test
  void everyRelayIsAskedToResendWhenTheQueueStarts() {
    TestProbe<QueueRelay.Command> relay = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(QueueRelay.SERVICE_KEY, relay.ref()));
    queue();
    awaitMessage(relay, m -> m instanceof QueueRelay.Resend r && r.queue().equals("q"));
  }

  @Test
  void aPoolWhoseNodeIsLostGetsNoRunsAndWhatItWasHandedGoesBackInLine() {
    var queue = queue();
    TestProbe<Pulled> lost = testKit.createTestProbe();
    TestProbe<Pulled> alive = testKit.createTestProbe();
    queue.tell(waiting("run-a", 3, 0));
    assertEquals(List.of("run-a"), pull(queue, lost, "node-lost", 2));
    queue.tell(new Pull("node-lost", 2, lost.ref())); // held when its node stops answering
    queue.tell(new PoolNodeLost("node-lost", false));
    queue.tell(new Pull("node-alive", 2, alive.ref()));
    queue.tell(waiting("run-b", 3, 1));
    assertEquals(List.of("run-b"), alive.receiveMessage().runIds(), "the unreachable pool's pull is gone");
    lost.expectNoMessage(Duration.ofMillis(100));
    queue.tell(phase("run-b", Phase.ACTIVE)); // leased
    assertEquals(1, view(queue).offered(), "run-a may still be leased by the unreachable node");
    queue.tell(new PoolNodeLost("node-lost", true)); // downed: what it was handed goes back
    assertEquals(List.of("run-a"), pull(queue, alive, "node-alive", 2));
  }

  @Test
  void aHeldPullIsAnsweredEmptyAtTheEndOfItsHold() {
    var queue = queue(settings("", Duration.ofMillis(100), Duration.ofMinutes(1)));
    TestProbe<Pulled> pool = testKit.createTestProbe();
    queue.tell(new Pull("node-1", 1, pool.ref()));
    assertEquals(List.of(), pool.receiveMessage(Duration.ofSeconds(3)).runIds());
    assertEquals(0, view(queue).pullingPools());
  }

  @Test
  void aGoneRunLeavesTheQueue() {
    var queue = queue();
    queue.tell(waiting("run-a", 3, 0));
    queue.tell(phase("run-a", Phase.GONE)); // cancelled while it waited
    assertEquals(0, view(queue).waiting());
  }

  @Test
  void everyWorkerPoolLearnsThatTheQueueExists() {
    TestProbe<WorkerPool.Command> pool = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(WorkerPool.SERVICE_KEY, pool.ref()));
    queue();
    awaitMessage(pool, m -> m instanceof WorkerPool.QueueOpened o && o.queue().equals("q"));
  }

  /** Waits (at most 3 s) for a message that {@code wanted} accepts, skipping others. */
  private static <T> void awaitMessage(TestProbe<T> probe, java.util.function.Predicate<T> wanted) {
    probe.fishForMessage(Duration.ofSeconds(3), m -> wanted.test(m)
        ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
        : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }
}
