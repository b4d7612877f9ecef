package dev.griot.agent.queue;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.griot.agent.queue.QueueEntity.Phase;
import dev.griot.agent.queue.QueueEntity.Track;
import dev.griot.agent.queue.QueueEntity.TrackBatch;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** One node's relay between its runs and their queues, with a probe for the queues. */
class QueueRelayTest {

  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant T = Instant.parse("2026-12-03T10:00:00Z");

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ActorRef<QueueRelay.Command> relay(TestProbe<TrackBatch> queues, Duration refresh) {
    var settings = new QueueSettings(Duration.ofSeconds(5), Duration.ofSeconds(10), refresh, refresh.multipliedBy(3),
        Duration.ZERO, ConfigFactory.parseString("max-concurrency = 0, max-depth = 0"), ConfigFactory.empty());
    return testKit.spawn(QueueRelay.create(settings, (queue, batch) -> queues.ref().tell(batch)));
  }

  private static Track track(String queue, String runId, Phase phase) {
    return new Track(queue, runId, phase, 3, T);
  }

  private static Set<String> runIds(TrackBatch b) {
    return b.tracks().stream().map(Track::runId).collect(Collectors.toSet());
  }

  @Test
  void whatARunSaysGoesToItsQueueAtOnce() {
    TestProbe<TrackBatch> queues = testKit.createTestProbe();
    var relay = relay(queues, Duration.ofMinutes(1));
    relay.tell(track("q", "run-a", Phase.WAITING));
    TrackBatch b = queues.receiveMessage();
    assertEquals("q", b.queue());
    assertEquals(List.of(track("q", "run-a", Phase.WAITING)), b.tracks());
  }

  @Test
  void aQueueThatStartsGetsWhatTheNodesRunsToldItAndNothingForgotten() {
    TestProbe<TrackBatch> queues = testKit.createTestProbe();
    var relay = relay(queues, Duration.ofMinutes(1));
    relay.tell(track("q", "run-a", Phase.WAITING));
    relay.tell(track("q", "run-b", Phase.ACTIVE));
    relay.tell(track("q", "run-c", Phase.WAITING));
    relay.tell(track("q", "run-c", Phase.GONE)); // finished
    relay.tell(track("q", "run-d", Phase.WAITING));
    relay.tell(new QueueRelay.Forget("run-d")); // its entity moved to another node
    relay.tell(track("other", "run-e", Phase.WAITING));
    Set<String> forwarded = new HashSet<>();
    while (forwarded.size() < 5) forwarded.addAll(runIds(queues.receiveMessage()));

    relay.tell(new QueueRelay.Resend("q"));
    TrackBatch again = queues.receiveMessage();
    assertEquals("q", again.queue());
    assertEquals(Set.of("run-a", "run-b"), runIds(again));
    queues.expectNoMessage(Duration.ofMillis(100)); // nothing for the other queue
  }

  @Test
  void everyQueueHearsAgainOnTheRefreshTimer() {
    TestProbe<TrackBatch> queues = testKit.createTestProbe();
    var relay = relay(queues, Duration.ofMillis(300));
    relay.tell(track("q", "run-a", Phase.WAITING));
    queues.receiveMessage(); // the change itself
    TrackBatch refreshed = queues.receiveMessage(Duration.ofSeconds(3));
    assertEquals(Set.of("run-a"), runIds(refreshed));
  }

  @Test
  void aLargeResendIsCutIntoBatches() {
    TestProbe<TrackBatch> queues = testKit.createTestProbe();
    var relay = relay(queues, Duration.ofMinutes(1));
    int runs = QueueRelay.MAX_BATCH * 2 + 1;
    for (int i = 0; i < runs; i++) relay.tell(track("q", "run-" + i, Phase.WAITING));
    Set<String> forwarded = new HashSet<>();
    while (forwarded.size() < runs) {
      TrackBatch b = queues.receiveMessage();
      assertTrue(b.tracks().size() <= QueueRelay.MAX_BATCH);
      forwarded.addAll(runIds(b));
    }
    relay.tell(new QueueRelay.Resend("q"));
    List<TrackBatch> resent = List.of(queues.receiveMessage(), queues.receiveMessage(), queues.receiveMessage());
    assertEquals(List.of(QueueRelay.MAX_BATCH, QueueRelay.MAX_BATCH, 1), resent.stream().map(b -> b.tracks().size()).toList());
  }
}
