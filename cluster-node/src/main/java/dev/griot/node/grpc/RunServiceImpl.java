package dev.griot.node.grpc;

import dev.griot.agent.harness.HarnessRegistry;
import dev.griot.agent.queue.QueueSettings;
import dev.griot.agent.readside.CassandraRunSummaryStore;
import dev.griot.agent.run.RunCommand;
import dev.griot.agent.run.RunEntity;
import dev.griot.agent.run.RunEvent;
import dev.griot.agent.run.RunSettings;
import dev.griot.agent.run.RunState;
import dev.griot.agent.run.RunTransitions;
import dev.griot.grpc.v1.*;
import dev.griot.node.NodeSettings;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.grpc.GrpcServiceException;
import org.apache.pekko.persistence.cassandra.query.javadsl.CassandraReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The gRPC edge of runs: validates every request, asks the run entity through sharding (the only
 * place Griot asks), and maps answers to precise gRPC statuses.
 */
public final class RunServiceImpl implements RunService {

  static final int DEFAULT_PAGE_SIZE = 50;
  static final int MAX_PAGE_SIZE = 1000;

  private final ActorSystem<?> system;
  private final NodeSettings settings;
  private final RunSettings runSettings;
  private final HarnessRegistry harnesses;
  private final CassandraRunSummaryStore summaries;
  private final ClusterSharding sharding;
  private final CassandraReadJournal journal;
  private final Queues queues;

  public RunServiceImpl(
      ActorSystem<?> system, NodeSettings settings, RunSettings runSettings, QueueSettings queueSettings,
      HarnessRegistry harnesses, CassandraRunSummaryStore summaries) {
    this.system = system;
    this.settings = settings;
    this.runSettings = runSettings;
    this.harnesses = harnesses;
    this.summaries = summaries;
    this.sharding = ClusterSharding.get(system);
    this.queues = new Queues(system, queueSettings, settings.askTimeout());
    this.journal = PersistenceQuery.get(system.classicSystem())
        .getReadJournalFor(CassandraReadJournal.class, CassandraReadJournal.Identifier());
  }

  @Override
  public CompletionStage<SubmitRunResponse> submitRun(SubmitRunRequest in) {
    RunRequests.Checked checked = RunRequests.check(in, harnesses, runSettings);
    if (!checked.ok()) return failed(Status.INVALID_ARGUMENT, String.join("; ", checked.problems()));
    String runId = RunIds.forSubmit(checked.spec().idempotencyKey());
    return queues.admit(checked.spec(), () -> ask(runId, RunCommand.Get::new).thenApply(r -> r instanceof RunCommand.Ok))
        .thenCompose(admitted -> ask(runId, replyTo -> new RunCommand.Submit(checked.spec(), replyTo)))
        .thenApply(reply -> {
          if (reply instanceof RunCommand.Ok ok)
            return SubmitRunResponse.newBuilder().setRun(ProtoMapping.run(ok.view())).setCreated(ok.created()).build();
          throw error(reply);
        });
  }

  @Override
  public CompletionStage<dev.griot.grpc.v1.Queue> getQueue(GetQueueRequest in) {
    return queues.get(in.getName());
  }

  @Override
  public CompletionStage<Run> getRun(GetRunRequest in) {
    return withRunId(in.getRunId(), id -> ask(id, RunCommand.Get::new).thenApply(RunServiceImpl::runOrError));
  }

  @Override
  public CompletionStage<Run> cancelRun(CancelRunRequest in) {
    if (in.getReason().length() > 1000) return failed(Status.INVALID_ARGUMENT, "reason is longer than 1000 characters");
    return withRunId(in.getRunId(), id ->
        ask(id, replyTo -> new RunCommand.Cancel(in.getReason(), replyTo)).thenApply(RunServiceImpl::runOrError));
  }

  @Override
  public CompletionStage<Run> redriveRun(RedriveRunRequest in) {
    return withRunId(in.getRunId(), id -> ask(id, RunCommand.Redrive::new).thenApply(RunServiceImpl::runOrError));
  }

  @Override
  public CompletionStage<ListRunsResponse> listRuns(ListRunsRequest in) {
    if (in.getState() == dev.griot.grpc.v1.RunState.UNRECOGNIZED)
      return failed(Status.INVALID_ARGUMENT, "state " + in.getStateValue() + " is not a run state");
    if (in.getPageSize() < 0 || in.getPageSize() > MAX_PAGE_SIZE)
      return failed(Status.INVALID_ARGUMENT, "page_size must be between 0 and " + MAX_PAGE_SIZE + ", got " + in.getPageSize());
    int pageSize = in.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : in.getPageSize();
    CompletionStage<CassandraRunSummaryStore.Page> page;
    try {
      page = summaries.list(ProtoMapping.status(in.getState()), pageSize, in.getPageToken());
    } catch (IllegalArgumentException e) {
      return failed(Status.INVALID_ARGUMENT, "page_token is not one this API gave out");
    }
    return page
        .thenApply(p -> {
          var b = ListRunsResponse.newBuilder().setNextPageToken(p.nextPageToken());
          p.runs().forEach(s -> b.addRuns(ProtoMapping.summary(s)));
          return b.build();
        })
        .exceptionally(err -> {
          Throwable cause = unwrap(err);
          if (cause instanceof GrpcServiceException g) throw g;
          // A token that decodes but is no paging state of this query: Cassandra refuses it.
          if (!in.getPageToken().isEmpty()
              && (cause instanceof IllegalArgumentException || cause instanceof com.datastax.oss.driver.api.core.servererrors.InvalidQueryException
                  || cause instanceof com.datastax.oss.driver.api.core.servererrors.ProtocolError))
            throw new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription("page_token is not valid for this query"));
          throw new GrpcServiceException(Status.UNAVAILABLE.withDescription(
              "read side unavailable: " + cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        });
  }

  @Override
  public Source<dev.griot.grpc.v1.RunEvent, NotUsed> watchRun(WatchRunRequest in) {
    if (!RunIds.isValid(in.getRunId()))
      return Source.failed(invalidRunId(in.getRunId()));
    if (in.getFromSequenceNr() < 0)
      return Source.failed(new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription("from_sequence_nr must not be negative")));
    String runId = in.getRunId();
    long from = Math.max(1, in.getFromSequenceNr());
    CompletionStage<Source<dev.griot.grpc.v1.RunEvent, NotUsed>> checked =
        ask(runId, RunCommand.Get::new).thenApply(reply -> {
          if (!(reply instanceof RunCommand.Ok ok)) throw error(reply);
          long last = ok.view().lastSequenceNr();
          if (from > last + 1)
            throw new GrpcServiceException(Status.OUT_OF_RANGE.withDescription(
                "from_sequence_nr " + from + " is beyond the end of run " + runId + "'s journal (last is " + last + ")"));
          if (ok.view().status().isTerminal() && from > last) return Source.empty();
          return follow(runId, from, last);
        });
    return Source.completionStageSource(checked).mapMaterializedValue(m -> NotUsed.getInstance());
  }

  /**
   * The journal from the start (to fold the state), shown from {@code from}, until the run ends:
   * at a terminal event no older than {@code lastAtStart}, so that a run re-driven out of an
   * earlier dead letter is followed past it.
   */
  private Source<dev.griot.grpc.v1.RunEvent, NotUsed> follow(String runId, long from, long lastAtStart) {
    record Folded(RunState state, EventEnvelope envelope) {}
    return journal.eventsByPersistenceId(runId, 0L, Long.MAX_VALUE)
        .scan(new Folded(new RunState.Empty(), null), (acc, env) ->
            new Folded(RunTransitions.apply(acc.state(), (RunEvent) env.event()), env))
        .drop(1)
        .takeWhile(f -> f.envelope().sequenceNr() < lastAtStart || !((RunState.Accepted) f.state()).status().isTerminal(), true)
        .filter(f -> f.envelope().sequenceNr() >= from)
        .map(f -> {
          var accepted = (RunState.Accepted) f.state();
          return ProtoMapping.event(runId, f.envelope().sequenceNr(), (RunEvent) f.envelope().event(),
              accepted.status(), accepted.record().attemptNumber());
        });
  }

  // ---- helpers -------------------------------------------------------------------------

  private CompletionStage<RunCommand.Reply> ask(String runId, Function<ActorRef<RunCommand.Reply>, RunCommand> command) {
    return sharding.entityRefFor(RunEntity.ENTITY_KEY, runId)
        .ask(command::apply, settings.askTimeout())
        .exceptionally(err -> {
          Throwable cause = unwrap(err);
          if (cause instanceof TimeoutException)
            throw new GrpcServiceException(Status.UNAVAILABLE.withDescription(
                "run " + runId + " did not answer within " + settings.askTimeout().toSeconds() + " s; try again"));
          throw new GrpcServiceException(Status.INTERNAL.withDescription(String.valueOf(cause.getMessage())));
        });
  }

  private <T> CompletionStage<T> withRunId(String runId, Function<String, CompletionStage<T>> then) {
    if (!RunIds.isValid(runId)) return CompletableFuture.failedFuture(invalidRunId(runId));
    return then.apply(runId);
  }

  private static GrpcServiceException invalidRunId(String runId) {
    return new GrpcServiceException(Status.INVALID_ARGUMENT.withDescription(
        runId.isEmpty() ? "run_id must be given" : "run_id '" + runId + "' is not a run id (run-<uuid>)"));
  }

  private static Run runOrError(RunCommand.Reply reply) {
    if (reply instanceof RunCommand.Ok ok) return ProtoMapping.run(ok.view());
    throw error(reply);
  }

  static GrpcServiceException error(RunCommand.Reply reply) {
    if (reply instanceof RunCommand.NotFound nf)
      return new GrpcServiceException(Status.NOT_FOUND.withDescription("no run " + nf.runId()));
    if (reply instanceof RunCommand.Refused r)
      return new GrpcServiceException(Status.FAILED_PRECONDITION.withDescription(r.reason()));
    if (reply instanceof RunCommand.Conflict c)
      return new GrpcServiceException(Status.ALREADY_EXISTS.withDescription(c.reason()));
    return new GrpcServiceException(Status.INTERNAL.withDescription("unexpected answer " + reply));
  }

  private static <T> CompletionStage<T> failed(Status status, String description) {
    return CompletableFuture.failedFuture(new GrpcServiceException(status.withDescription(description)));
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    return t;
  }
}
