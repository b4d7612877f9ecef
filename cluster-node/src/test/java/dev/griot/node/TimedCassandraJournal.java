package dev.griot.node;

import com.typesafe.config.Config;
import java.time.Instant;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.cassandra.journal.CassandraJournal;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * The Cassandra journal plugin, unchanged, noting for each event when the journal was asked to
 * write it and when Cassandra acknowledged the write (the moment the persistent actor is told the
 * event is journaled). For LatencyBenchmark: the node takes it with {@code
 * pekko.persistence.cassandra.journal.class = dev.griot.node.TimedCassandraJournal}.
 */
public final class TimedCassandraJournal extends CassandraJournal {

  /** One event's write: wall-clock instants, comparable with another process's clock readings. */
  record Write(String persistenceId, long sequenceNr, Object event, Instant called, Instant done) {}

  /** Every successful write since the last {@link #drain}, in completion order. */
  static final ConcurrentLinkedQueue<Write> WRITES = new ConcurrentLinkedQueue<>();

  public TimedCassandraJournal(Config config, String configPath) {
    super(config, configPath);
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    Instant called = Instant.now();
    Future<Seq<Try<BoxedUnit>>> written = super.asyncWriteMessages(messages);
    written.onComplete(result -> {
      Instant done = Instant.now(); // on the thread that completes the write: no hop in between
      if (result.isSuccess()) {
        var outcomes = CollectionConverters.asJava(result.get());
        var writes = CollectionConverters.asJava(messages);
        for (int i = 0; i < writes.size(); i++) {
          if (i < outcomes.size() && outcomes.get(i).isFailure()) continue;
          for (PersistentRepr repr : CollectionConverters.asJava(writes.get(i).payload()))
            WRITES.add(new Write(repr.persistenceId(), repr.sequenceNr(), repr.payload(), called, done));
        }
      }
      return BoxedUnit.UNIT;
    }, org.apache.pekko.dispatch.ExecutionContexts.fromExecutor(Runnable::run));
    return written;
  }
}
