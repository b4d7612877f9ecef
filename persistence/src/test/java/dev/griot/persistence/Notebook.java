package dev.griot.persistence;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;

/** A minimal event sourced entity for journal tests: it appends lines. */
final class Notebook extends EventSourcedBehavior<Notebook.Command, Notebook.Event, Notebook.Lines> {

  sealed interface Command extends CborSerializable {}

  record Write(String line, ActorRef<Done> replyTo) implements Command {}

  record Read(ActorRef<Lines> replyTo) implements Command {}

  sealed interface Event extends CborSerializable {}

  record Written(String line) implements Event {}

  record Lines(List<String> lines) implements CborSerializable {
    Lines {
      lines = List.copyOf(lines);
    }

    Lines plus(String line) {
      List<String> more = new ArrayList<>(lines);
      more.add(line);
      return new Lines(more);
    }
  }

  static Behavior<Command> create(String id) {
    return new Notebook(PersistenceId.of("Notebook", id));
  }

  private Notebook(PersistenceId persistenceId) {
    super(persistenceId);
  }

  @Override
  public Lines emptyState() {
    return new Lines(List.of());
  }

  @Override
  public CommandHandler<Command, Event, Lines> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Write.class, (state, write) ->
            Effect().persist(new Written(write.line())).thenReply(write.replyTo(), s -> Done.getInstance()))
        .onCommand(Read.class, (state, read) -> Effect().reply(read.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<Lines, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Written.class, (state, written) -> state.plus(written.line()))
        .build();
  }
}
