package dev.griot.agent.run;

import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.run.RunCommand.*;
import dev.griot.agent.run.RunEvent.*;
import dev.griot.agent.run.RunState.*;
import dev.griot.agent.queue.QueueEntity;
import dev.griot.agent.queue.QueueRelay;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ClusterShardingSettings;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilderByState;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One run, event sourced: the lifecycle of DESIGN.md §3, the attempt chain, the journaled turns.
 * Persistence id = run id. Command handlers are chosen by state type; a command that is not
 * legal in the run's state is refused with a reason the caller sees. Every timer is a due time in
 * the state and is re-armed after recovery; work that must survive a crash (queueing, the retry
 * decision, the read-side write) is re-driven from {@link RecoveryCompleted}.
 */
public final class RunEntity extends EventSourcedBehaviorWithEnforcedReplies<RunCommand, RunEvent, RunState> {

  public static final EntityTypeKey<RunCommand> ENTITY_KEY = EntityTypeKey.create(RunCommand.class, "Run");

  /** The cluster role of the nodes that host run entities (other nodes reach them by proxy). */
  public static final String ROLE = "control";

  /**
   * What a run talks to besides its workers: {@code queues} takes what the run tells its queue
   * ({@link QueueEntity.Track}, and {@link QueueRelay.Forget} when the entity stops on this node;
   * on a node, the node's {@link QueueRelay}).
   */
  public record Ports(
      ActorRef<QueueRelay.Command> queues, RunSummaryStore summaries, Clock clock, DoubleSupplier random,
      java.util.function.Predicate<String> workerNodeUp) {

    /** Ports of a run that takes every worker's node to be up (one node, tests). */
    public Ports(ActorRef<QueueRelay.Command> queues, RunSummaryStore summaries, Clock clock, DoubleSupplier random) {
      this(queues, summaries, clock, random, workerId -> true);
    }
  }

  /** Registers the sharded run entity; non-terminal runs are remembered across crashes. */
  public static void init(ActorSystem<?> system, RunSettings settings, Ports ports) {
    ClusterSharding.get(system)
        .init(
            Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), settings, ports, Optional.of(ctx.getShard())))
                .withRole(ROLE)
                .withSettings(ClusterShardingSettings.create(system).withRememberEntities(true)));
  }

  public static Behavior<RunCommand> create(
      String runId,
      RunSettings settings,
      Ports ports,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard) {
    return Behaviors.setup(
        ctx -> Behaviors.withTimers(timers -> new RunEntity(runId, settings, ports, shard, ctx, timers)));
  }

  private static final String LEASE_TIMER = "lease";
  private static final String IDLE_TIMER = "idle";
  private static final String SUMMARY_TIMER = "summary";
  private static final String WORKER_CHECK_TIMER = "worker-check";

  private final String runId;
  private final RunSettings settings;
  private final Ports ports;
  private final Optional<ActorRef<ClusterSharding.ShardCommand>> shard;
  private final ActorContext<RunCommand> ctx;
  private final TimerScheduler<RunCommand> timers;
  /** Where the current attempt's worker listens; learnt from its reports, never persisted. */
  private ActorRef<AttemptControl> workerControl;
  /** The newest sequence number the read side has confirmed. */
  private long summaryWritten = -1;
  /** The status last sent to the read side: a change is written at once, turns are coalesced. */
  private RunStatus summaryStatus;
  /** What the run last told its queue; null: nothing yet in this incarnation. */
  private QueueEntity.Phase queuePhase;

  private RunEntity(
      String runId,
      RunSettings settings,
      Ports ports,
      Optional<ActorRef<ClusterSharding.ShardCommand>> shard,
      ActorContext<RunCommand> ctx,
      TimerScheduler<RunCommand> timers) {
    super(PersistenceId.ofUniqueId(runId));
    this.runId = runId;
    this.settings = settings;
    this.ports = ports;
    this.shard = shard;
    this.ctx = ctx;
    this.timers = timers;
  }

  @Override
  public RunState emptyState() {
    return new Empty();
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(100, 2);
  }

  @Override
  public SignalHandler<RunState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecovered)
        // moved away or the node stops: the run tells the relay of wherever it recovers next
        .onSignal(PostStop.instance(), s -> ports.queues().tell(new QueueRelay.Forget(runId)))
        .build();
  }

  // ==== commands ==========================================================================

  @Override
  public CommandHandlerWithReply<RunCommand, RunEvent, RunState> commandHandler() {
    CommandHandlerWithReplyBuilder<RunCommand, RunEvent, RunState> b = newCommandHandlerWithReplyBuilder();

    b.forStateType(Empty.class)
        .onCommand(Submit.class, this::submit)
        .onCommand(Get.class, (s, c) -> notFound(c.replyTo()))
        .onCommand(Cancel.class, (s, c) -> notFound(c.replyTo()))
        .onCommand(ProvideInput.class, (s, c) -> notFound(c.replyTo()))
        .onCommand(Redrive.class, (s, c) -> notFound(c.replyTo()))
        .onCommand(OfferSlot.class, (s, c) -> Effect().reply(c.replyTo(), new LeaseDeclined(runId, "no such run")))
        .onCommand(WorkerReport.class, (s, c) -> Effect().reply(c.replyTo(), new Stop(c.attempt(), "no such run")))
        .onAnyCommand(c -> Effect().none().thenRun(st -> passivate()).thenNoReply());

    b.forStateType(Created.class).onCommand(Cancel.class, this::cancel);

    b.forStateType(Queued.class)
        .onCommand(OfferSlot.class, this::grantLease)
        .onCommand(Cancel.class, this::cancel)
        .onCommand(DeadlineReached.class, this::deadlineReached);

    holdingAnAttempt(b.forStateType(Assigned.class)
        .onCommand(OfferSlot.class, this::regrantLease)
        .onCommand(ReportStarted.class, this::started)
        .onCommand(ReportSession.class, this::sessionCaptured));

    holdingAnAttempt(b.forStateType(Running.class)
        .onCommand(ReportStarted.class, (s, c) -> fenced(s, c, () -> ack(c, "started")))
        .onCommand(ReportSession.class, this::sessionCaptured)
        .onCommand(ReportTurn.class, this::turnCompleted)
        .onCommand(ReportInputRequested.class, this::inputRequested)
        .onCommand(ReportSucceeded.class, this::succeeded));

    holdingAnAttempt(b.forStateType(WaitingForInput.class)
        .onCommand(ProvideInput.class, this::provideInput)
        .onCommand(ReportSucceeded.class, this::succeeded));

    b.forStateType(Failed.class).onCommand(DecideRetry.class, this::decideRetry);
    b.forStateType(TimedOut.class).onCommand(DecideRetry.class, this::decideRetry);

    b.forStateType(RunState.RetryScheduled.class)
        .onCommand(Cancel.class, this::cancel)
        .onCommand(DeadlineReached.class, this::deadlineReached);

    b.forStateType(DeadLettered.class).onCommand(Redrive.class, this::redrive);

    // Whatever a state above does not handle: answered the same way in every accepted state.
    b.forStateType(Accepted.class)
        .onCommand(Submit.class, this::resubmit)
        .onCommand(Get.class, (s, c) -> Effect().none().thenRun(this::touch).thenReply(c.replyTo(), st -> ok(st, false)))
        .onCommand(Cancel.class, (s, c) -> refuse(s, c.replyTo(), "cancel"))
        .onCommand(ProvideInput.class, (s, c) -> refuse(s, c.replyTo(), "give input to"))
        .onCommand(Redrive.class, (s, c) -> refuse(s, c.replyTo(), "re-drive"))
        .onCommand(OfferSlot.class, (s, c) ->
            Effect().reply(c.replyTo(), new LeaseDeclined(runId, "run is " + name(s.status()))))
        .onCommand(WorkerReport.class, this::unexpectedReport)
        .onCommand(SummaryWritten.class, this::summaryWritten)
        .onCommand(SummaryFailed.class, this::summaryFailed)
        .onCommand(Idle.class, this::idle)
        .onCommand(WriteSummary.class, (s, c) -> {
          writeSummary(s);
          return Effect().noReply();
        })
        .onAnyCommand(c -> Effect().noReply()); // stale timers and decisions: nothing to do

    return b.build();
  }

  /** What every state with an attempt out at a worker (assigned, running, waiting) handles alike. */
  private <S extends Accepted> void holdingAnAttempt(
      CommandHandlerWithReplyBuilderByState<RunCommand, RunEvent, S, RunState> state) {
    state
        .onCommand(ReportFailed.class, this::attemptFailed)
        .onCommand(ReportYielded.class, this::attemptYielded)
        .onCommand(Heartbeat.class, this::heartbeat)
        .onCommand(Cancel.class, this::cancel)
        .onCommand(DeadlineReached.class, this::deadlineReached)
        .onCommand(LeaseExpired.class, this::leaseExpired)
        .onCommand(WorkerNodeGone.class, this::workerNodeGone)
        .onCommand(CheckWorker.class, (s, c) -> {
          checkWorkerNode(s);
          return Effect().noReply();
        });
  }

  private ReplyEffect<RunEvent, RunState> submit(Empty s, Submit c) {
    Instant now = now();
    return Effect()
        .persist(List.of(new RunSubmitted(runId, c.spec(), now), new RunQueued(now, dueAfter(now, c.spec().timeouts().queueWait()))))
        .thenRun(this::afterPersist)
        .thenReply(c.replyTo(), st -> ok(st, true));
  }

  private ReplyEffect<RunEvent, RunState> resubmit(Accepted s, Submit c) {
    if (s.record().spec().equals(c.spec())) return Effect().reply(c.replyTo(), ok(s, false));
    return Effect()
        .reply(
            c.replyTo(),
            new Conflict("run " + runId + " was submitted under idempotency key '" + c.spec().idempotencyKey()
                + "' with a different spec"));
  }

  private ReplyEffect<RunEvent, RunState> grantLease(Queued s, OfferSlot c) {
    Instant now = now();
    RunRecord r = s.record();
    int attempt = r.attemptNumber() + 1;
    workerControl = null;
    return Effect()
        .persist(new AttemptAssigned(attempt, c.workerId(), now, dueAfter(now, r.spec().timeouts().start())))
        .thenRun(this::afterPersist)
        .thenReply(c.replyTo(), st -> new LeaseGranted(runId, attempt, r.spec(), r.sessionId(), r.completedTurns(), r.checkpoint()));
  }

  /**
   * The worker the attempt was granted to offers its slot again: it did not hear the grant (the
   * answer was lost while the run moved between nodes). It gets the same lease again.
   */
  private ReplyEffect<RunEvent, RunState> regrantLease(Assigned s, OfferSlot c) {
    RunRecord r = s.record();
    Attempt current = r.currentAttempt().orElseThrow();
    if (!current.workerId().equals(c.workerId()))
      return Effect().reply(c.replyTo(), new LeaseDeclined(runId, "run is " + name(s.status())));
    return Effect().reply(c.replyTo(),
        new LeaseGranted(runId, current.number(), r.spec(), r.sessionId(), r.completedTurns(), r.checkpoint()));
  }

  private ReplyEffect<RunEvent, RunState> started(Assigned s, ReportStarted c) {
    return fenced(s, c, () -> {
      workerControl = c.control();
      Instant now = now();
      return Effect()
          .persist(new AttemptStarted(c.attempt(), now, dueAfter(now, s.record().spec().timeouts().run())))
          .thenRun(this::afterPersist)
          .thenReply(c.replyTo(), st -> new Acked(c.attempt(), "started"));
    });
  }

  private ReplyEffect<RunEvent, RunState> sessionCaptured(Accepted s, ReportSession c) {
    return fenced(s, c, () -> {
      if (s.record().sessionId().equals(Optional.of(c.sessionId()))) return ack(c, "session");
      return Effect()
          .persist(new SessionCaptured(c.attempt(), c.sessionId(), now()))
          .thenRun(this::afterPersist)
          .thenReply(c.replyTo(), st -> new Acked(c.attempt(), "session"));
    });
  }

  private ReplyEffect<RunEvent, RunState> turnCompleted(Running s, ReportTurn c) {
    return fenced(s, c, () -> {
      int expected = s.record().completedTurns() + 1;
      int number = c.turn().number();
      if (number < expected) return ack(c, "turn " + number); // a duplicate: journaled already
      if (number > expected)
        return Effect().reply(c.replyTo(), new Rejected(c.attempt(), "expected turn " + expected + ", got " + number));
      Instant now = now();
      TurnJournaled journaled = new TurnJournaled(c.attempt(), c.turn(), now, c.checkpoint());
      RunRecord after = s.record().withTurn(c.turn().usage());
      RunSpec spec = s.record().spec();
      String overBudget = spec.budget().crossedBy(after.completedTurns(), after.usage(), spec, settings.prices());
      if (overBudget != null) { // keep the turn, end the attempt at it
        return Effect()
            .persist(List.of(journaled, new AttemptFailed(c.attempt(), FailureKind.BUDGET, overBudget, now)))
            .thenRun(this::afterPersist)
            .thenReply(c.replyTo(), st -> new Stop(c.attempt(), overBudget));
      }
      return Effect()
          .persist(journaled)
          .thenRun(this::afterPersist)
          .thenReply(c.replyTo(), st -> new Acked(c.attempt(), "turn " + number));
    });
  }

  private ReplyEffect<RunEvent, RunState> inputRequested(Running s, ReportInputRequested c) {
    return fenced(s, c, () -> {
      Instant now = now();
      return Effect()
          .persist(new InputRequested(c.attempt(), c.question(), now, dueAfter(now, s.record().spec().timeouts().input())))
          .thenRun(this::afterPersist)
          .thenReply(c.replyTo(), st -> new Acked(c.attempt(), "input requested"));
    });
  }

  private ReplyEffect<RunEvent, RunState> provideInput(WaitingForInput s, ProvideInput c) {
    int attempt = s.record().attemptNumber();
    return Effect()
        .persist(new InputProvided(c.text(), now()))
        .thenRun(this::afterPersist)
        .thenRun(st -> tellWorker(new DeliverInput(attempt, c.text())))
        .thenReply(c.replyTo(), st -> ok(st, false));
  }

  private ReplyEffect<RunEvent, RunState> succeeded(Accepted s, ReportSucceeded c) {
    return fenced(s, c, () ->
        Effect()
            .persist(new RunCompleted(c.attempt(), c.resultText(), c.costUsd(), now()))
            .thenRun(this::afterPersist)
            .thenReply(c.replyTo(), st -> new Acked(c.attempt(), "result")));
  }

  private ReplyEffect<RunEvent, RunState> attemptFailed(Accepted s, ReportFailed c) {
    return fenced(s, c, () -> failAttempt(s, c.kind(), c.message())
        .thenReply(c.replyTo(), st -> new Acked(c.attempt(), "failure")));
  }

  private ReplyEffect<RunEvent, RunState> attemptYielded(Accepted s, ReportYielded c) {
    return fenced(s, c, () -> {
      Instant now = now();
      workerControl = null;
      ctx.getLog().info("run {}: attempt {} handed back: {}", runId, c.attempt(), c.reason());
      return Effect()
          .persist(new AttemptYielded(c.attempt(), c.reason(), now, dueAfter(now, s.record().spec().timeouts().queueWait())))
          .thenRun(this::afterPersist)
          .thenReply(c.replyTo(), st -> new Acked(c.attempt(), "yield"));
    });
  }

  private ReplyEffect<RunEvent, RunState> heartbeat(Accepted s, Heartbeat c) {
    return fenced(s, c, () -> {
      workerControl = c.control();
      return ack(c, "heartbeat");
    });
  }

  private ReplyEffect<RunEvent, RunState> leaseExpired(Accepted s, LeaseExpired c) {
    if (c.attempt() != s.record().attemptNumber()) return Effect().noReply();
    String reason = "worker lost: no word from attempt " + c.attempt() + " for " + settings.leaseTimeout().toSeconds() + " s";
    ctx.getLog().info("run {}: {}", runId, reason);
    workerControl = null;
    return failAttempt(s, FailureKind.TRANSIENT, reason).thenNoReply();
  }

  private ReplyEffect<RunEvent, RunState> workerNodeGone(Accepted s, WorkerNodeGone c) {
    if (c.attempt() != s.record().attemptNumber()) return Effect().noReply();
    String reason = "worker lost: its node left the cluster (" + c.workerId() + ")";
    ctx.getLog().info("run {}: {}", runId, reason);
    workerControl = null;
    return failAttempt(s, FailureKind.TRANSIENT, reason).thenNoReply();
  }

  /**
   * An attempt ended badly. A transient failure of a running attempt with attempts left goes
   * straight to the backoff; anything else is recorded as failed and the retry decision follows.
   */
  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<RunEvent, RunState> failAttempt(
      Accepted s, FailureKind kind, String message) {
    Instant now = now();
    RunRecord r = s.record();
    int attempt = r.attemptNumber();
    if (s instanceof Running && kind == FailureKind.TRANSIENT && r.spec().retry().hasAttemptsAfter(r.attemptsInBudget())) {
      return Effect()
          .persist(new BackoffStarted(attempt, Optional.of(kind), message, now.plus(backoff(r)), now))
          .thenRun(this::afterPersist);
    }
    return Effect().persist(new AttemptFailed(attempt, kind, message, now)).thenRun(this::afterPersist);
  }

  private ReplyEffect<RunEvent, RunState> decideRetry(Accepted s, DecideRetry c) {
    Instant now = now();
    RunRecord r = s.record();
    int attempt = r.attemptNumber();
    String deadEnd = deadEnd(s);
    if (deadEnd == null && r.spec().retry().hasAttemptsAfter(r.attemptsInBudget())) {
      return Effect()
          .persist(new BackoffStarted(attempt, Optional.empty(), "", now.plus(backoff(r)), now))
          .thenRun(this::afterPersist)
          .thenNoReply();
    }
    String reason = deadEnd != null ? deadEnd
        : "retry budget spent after " + r.attemptsInBudget() + " attempt(s); last failure: " + r.lastFailure();
    return Effect().persist(new RunDeadLettered(reason, now)).thenRun(this::afterPersist).thenNoReply();
  }

  /** Why the failure can't be cured by another attempt, or null if it can. */
  private static String deadEnd(Accepted s) {
    if (s instanceof TimedOut t && t.deadline() == DeadlineKind.QUEUE_WAIT)
      return "no worker took the run before its queue-wait deadline";
    if (s instanceof Failed f)
      return switch (f.kind()) {
        case TRANSIENT, SANDBOX, TIMEOUT -> null;
        case FATAL -> "fatal failure: " + f.message();
        case BUDGET -> "budget exhausted: " + f.message();
        case MAX_TURNS -> "turn limit reached: " + f.message();
        case CANCELLED -> "cancelled by the harness: " + f.message();
      };
    return null;
  }

  private ReplyEffect<RunEvent, RunState> cancel(Accepted s, Cancel c) {
    int attempt = s.record().attemptNumber();
    String reason = c.reason().isBlank() ? "cancelled by user" : c.reason();
    return Effect()
        .persist(new RunCancelled(reason, now()))
        .thenRun(this::afterPersist)
        .thenRun(st -> tellWorker(new StopAttempt(attempt, reason)))
        .thenReply(c.replyTo(), st -> ok(st, false));
  }

  private ReplyEffect<RunEvent, RunState> deadlineReached(Accepted s, DeadlineReached c) {
    Optional<Due> due = s.due().filter(d -> d.kind() == c.kind());
    if (due.isEmpty()) return Effect().noReply(); // a timer of a state already left
    Instant now = now();
    if (now.isBefore(due.get().at())) { // fired early (clock skew after a move): wait the rest
      armDeadline(s);
      return Effect().noReply();
    }
    int attempt = s.record().attemptNumber();
    if (c.kind() == DeadlineKind.RETRY_BACKOFF) {
      return Effect()
          .persist(new RunQueued(now, dueAfter(now, s.record().spec().timeouts().queueWait())))
          .thenRun(this::afterPersist)
          .thenNoReply();
    }
    return Effect()
        .persist(new RunTimedOut(attempt, c.kind(), now))
        .thenRun(this::afterPersist)
        .thenRun(st -> tellWorker(new StopAttempt(attempt, name(c.kind()) + " deadline passed")))
        .thenNoReply();
  }

  private ReplyEffect<RunEvent, RunState> redrive(DeadLettered s, Redrive c) {
    Instant now = now();
    return Effect()
        .persist(new RunRedriven(now, dueAfter(now, s.record().spec().timeouts().queueWait())))
        .thenRun(this::afterPersist)
        .thenReply(c.replyTo(), st -> ok(st, false));
  }

  private ReplyEffect<RunEvent, RunState> unexpectedReport(Accepted s, WorkerReport c) {
    return fenced(s, c, () -> {
      // Whatever holds no attempt (queued again, waiting for a retry, finished) has no use for a
      // worker still reporting: it must stop its harness.
      if (!holdsAttempt(s)) return Effect().reply(c.replyTo(), new Stop(c.attempt(), "run is " + name(s.status())));
      return Effect()
          .reply(c.replyTo(), new Rejected(c.attempt(), c.getClass().getSimpleName() + " is not expected while the run is " + name(s.status())));
    });
  }

  private ReplyEffect<RunEvent, RunState> summaryWritten(Accepted s, SummaryWritten c) {
    summaryWritten = Math.max(summaryWritten, c.sequenceNr());
    return Effect().noReply();
  }

  private ReplyEffect<RunEvent, RunState> summaryFailed(Accepted s, SummaryFailed c) {
    ctx.getLog().warn("run {}: read-side write failed, trying again: {}", runId, c.error());
    timers.startSingleTimer(SUMMARY_TIMER, WriteSummary.INSTANCE, settings.summaryRetry());
    return Effect().noReply();
  }

  private ReplyEffect<RunEvent, RunState> idle(Accepted s, Idle c) {
    if (!s.status().isTerminal()) return Effect().noReply();
    if (summaryWritten < lastSequenceNumber(ctx)) { // the read side must see the end first
      writeSummary(s);
      timers.startSingleTimer(IDLE_TIMER, Idle.INSTANCE, settings.idleTimeout());
      return Effect().noReply();
    }
    passivate();
    return Effect().noReply();
  }

  // ==== events ============================================================================

  @Override
  public EventHandler<RunState, RunEvent> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(RunTransitions::apply);
  }

  private static Accepted accepted(RunState s) {
    return (Accepted) s;
  }

  private static boolean holdsAttempt(RunState s) {
    return RunTransitions.holdsAttempt(s);
  }

  // ==== side effects, timers, recovery =====================================================

  private void onRecovered(RunState s) {
    if (!(s instanceof Accepted a)) return;
    if (holdsAttempt(a)) {
      // recovered on another node because the owner died: when the worker died with it (or
      // before), waiting out the lease would only delay the next attempt
      boolean gone = checkWorkerNode(a);
      ctx.getLog().info("run {} recovered as {}; {}", runId, name(a.status()),
          gone ? "its worker's node is gone" : "waiting for its worker");
    }
    afterPersist(a);
  }

  /** Runs after every persisted event and after recovery: whatever the new state asks for. */
  private void afterPersist(RunState s) {
    if (!(s instanceof Accepted a)) return;
    armDeadline(a);
    if (holdsAttempt(a)) {
      armLease(a.record().attemptNumber());
      if (!timers.isTimerActive(WORKER_CHECK_TIMER))
        timers.startTimerWithFixedDelay(WORKER_CHECK_TIMER, CheckWorker.INSTANCE, settings.heartbeatInterval());
    } else {
      timers.cancel(LEASE_TIMER);
      timers.cancel(WORKER_CHECK_TIMER);
    }
    // Its queue hears of every change of phase (a recovered run: of its phase, unless it has none).
    QueueEntity.Phase phase = a instanceof Queued ? QueueEntity.Phase.WAITING
        : holdsAttempt(a) ? QueueEntity.Phase.ACTIVE : QueueEntity.Phase.GONE;
    if (phase != queuePhase && (queuePhase != null || phase != QueueEntity.Phase.GONE)) tellQueue(a, phase);
    if (a instanceof Failed || a instanceof TimedOut) ctx.getSelf().tell(DecideRetry.INSTANCE);
    if (a.status().isTerminal()) timers.startSingleTimer(IDLE_TIMER, Idle.INSTANCE, settings.idleTimeout());
    if (a.status() != summaryStatus) writeSummary(a);
    else if (!timers.isTimerActive(SUMMARY_TIMER)) // a turn or a session: at most one write per interval
      timers.startSingleTimer(SUMMARY_TIMER, WriteSummary.INSTANCE, settings.summaryInterval());
  }

  /**
   * Whether the node of the current attempt's worker has left the cluster (downed, removed); if
   * so the attempt fails at once as lost instead of waiting out its lease.
   */
  private boolean checkWorkerNode(Accepted a) {
    var attempt = a.record().currentAttempt();
    if (attempt.isEmpty() || ports.workerNodeUp().test(attempt.get().workerId())) return false;
    ctx.getSelf().tell(new WorkerNodeGone(attempt.get().number(), attempt.get().workerId()));
    return true;
  }

  /**
   * Tells the run's queue where it stands: waiting (the queue hands it to a worker pool, which
   * offers it a slot through sharding), holding an attempt, or neither.
   */
  private void tellQueue(Accepted s, QueueEntity.Phase phase) {
    queuePhase = phase;
    RunRecord r = s.record();
    ports.queues().tell(new QueueEntity.Track(r.spec().queue(), runId, phase, r.spec().priority(), r.submittedAt()));
  }

  private void armDeadline(Accepted s) {
    for (DeadlineKind k : DeadlineKind.values()) timers.cancel(k);
    s.due().ifPresent(d -> {
      Duration delay = Duration.between(now(), d.at());
      timers.startSingleTimer(d.kind(), new DeadlineReached(d.kind()), delay.isNegative() ? Duration.ZERO : delay);
    });
  }

  private void armLease(int attempt) {
    timers.startSingleTimer(LEASE_TIMER, new LeaseExpired(attempt), settings.leaseTimeout());
  }

  private void writeSummary(Accepted s) {
    timers.cancel(SUMMARY_TIMER);
    summaryStatus = s.status();
    long seq = lastSequenceNumber(ctx);
    RunView view = RunView.of(s, seq);
    ctx.pipeToSelf(
        ports.summaries().upsert(view),
        (ok, err) -> err == null ? new SummaryWritten(seq) : new SummaryFailed(seq, String.valueOf(err)));
  }

  private void tellWorker(AttemptControl message) {
    if (workerControl != null) workerControl.tell(message);
    // Not known (the run was just recovered): the worker learns it from the Stop answer to its
    // next heartbeat or report.
    if (message instanceof StopAttempt) workerControl = null;
  }

  private void touch(RunState s) {
    if (s instanceof Accepted a && a.status().isTerminal())
      timers.startSingleTimer(IDLE_TIMER, Idle.INSTANCE, settings.idleTimeout());
  }

  private void passivate() {
    shard.ifPresent(sh -> sh.tell(new ClusterSharding.Passivate<>(ctx.getSelf())));
  }

  // ==== helpers ===========================================================================

  /** Runs {@code then} only for a report of the run's current attempt; a stale one is told to stop. */
  private ReplyEffect<RunEvent, RunState> fenced(
      Accepted s, WorkerReport c, Supplier<ReplyEffect<RunEvent, RunState>> then) {
    int current = s.record().attemptNumber();
    if (c.attempt() != current) {
      return Effect().reply(c.replyTo(), new Stop(c.attempt(), "attempt " + c.attempt() + " is stale; the run is on attempt " + current));
    }
    if (holdsAttempt(s)) armLease(current);
    return then.get();
  }

  private ReplyEffect<RunEvent, RunState> ack(WorkerReport c, String what) {
    return Effect().reply(c.replyTo(), new Acked(c.attempt(), what));
  }

  private ReplyEffect<RunEvent, RunState> notFound(ActorRef<Reply> replyTo) {
    return Effect().none().thenRun(s -> passivate()).thenReply(replyTo, s -> new NotFound(runId));
  }

  private ReplyEffect<RunEvent, RunState> refuse(Accepted s, ActorRef<Reply> replyTo, String verb) {
    return Effect().reply(replyTo, new Refused(s.status(), "cannot " + verb + " run " + runId + ": it is " + name(s.status())));
  }

  private Reply ok(RunState s, boolean created) {
    return new Ok(RunView.of(accepted(s), lastSequenceNumber(ctx)), created);
  }

  /** The backoff after the run's latest attempt, counted (like the budget) since the last re-drive. */
  private Duration backoff(RunRecord r) {
    return r.spec().retry().backoffAfter(r.attemptsInBudget(), ports.random().getAsDouble());
  }

  private static Optional<Instant> dueAfter(Instant now, Duration d) {
    return d.isZero() ? Optional.empty() : Optional.of(now.plus(d));
  }

  private Instant now() {
    return ports.clock().instant();
  }

  private static String name(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT);
  }
}
