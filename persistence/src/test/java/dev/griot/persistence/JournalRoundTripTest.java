package dev.griot.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.griot.persistence.testkit.TestCassandra;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pekko Persistence on the real Cassandra with Griot's plugin config and schema: an entity
 * persists three events in one actor system and recovers them in a fresh one.
 */
class JournalRoundTripTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static String keyspace;
  private static Config config;

  @BeforeAll
  static void freshKeyspace() {
    keyspace = TestCassandra.freshKeyspace("journal");
    config = TestCassandra.config(keyspace).withFallback(ConfigFactory.load());
  }

  @AfterAll
  static void dropKeyspace() {
    TestCassandra.dropKeyspace(keyspace);
  }

  @Test
  void persistsEventsAndRecoversThemInANewActorSystem() {
    ActorTestKit first = ActorTestKit.create("journal-first", config);
    try {
      ActorRef<Notebook.Command> notebook = first.spawn(Notebook.create("n1"));
      TestProbe<Done> done = first.createTestProbe();
      for (String line : List.of("one", "two", "three")) {
        notebook.tell(new Notebook.Write(line, done.getRef()));
        done.expectMessage(WAIT, Done.getInstance());
      }
    } finally {
      first.shutdownTestKit();
    }

    long rows = TestCassandra.session().execute(SimpleStatement.newInstance(
            "SELECT sequence_nr FROM " + keyspace + ".messages WHERE persistence_id = ? AND partition_nr = 0",
            "Notebook|n1"))
        .all().size();
    assertEquals(3, rows, "three events in the journal's messages table");

    ActorTestKit second = ActorTestKit.create("journal-second", config);
    try {
      ActorRef<Notebook.Command> recovered = second.spawn(Notebook.create("n1"));
      TestProbe<Notebook.Lines> lines = second.createTestProbe();
      recovered.tell(new Notebook.Read(lines.getRef()));
      assertEquals(List.of("one", "two", "three"), lines.receiveMessage(WAIT).lines());
    } finally {
      second.shutdownTestKit();
    }
  }
}
