package dev.griot.node;

import dev.griot.agent.harness.Turn;
import dev.griot.agent.run.RunEvent;
import dev.griot.agent.worker.TurnHistory;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Sink;

/** A run's journaled turns, read from its events in Cassandra (for a recovery prompt). */
final class JournalTurnHistory implements TurnHistory {

  private final ActorSystem<?> system;
  private final CassandraReadJournal journal;

  JournalTurnHistory(ActorSystem<?> system) {
    this.system = system;
    this.journal = PersistenceQuery.get(system.classicSystem())
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
  }

  @Override
  public CompletionStage<List<Turn>> turns(String runId, int upTo) {
    return journal.currentEventsByPersistenceId(runId, 0L, Long.MAX_VALUE)
        .map(envelope -> envelope.event())
        .filter(event -> event instanceof RunEvent.TurnJournaled)
        .map(event -> ((RunEvent.TurnJournaled) event).turn())
        .takeWhile(turn -> turn.number() <= upTo)
        .runWith(Sink.seq(), system);
  }
}
