package dev.griot.agent.worker;

import dev.griot.agent.checkpoint.CheckpointChain;
import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.checkpoint.Checkpointer;
import dev.griot.agent.checkpoint.Manifest;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.HarnessAdapter;
import dev.griot.agent.harness.HarnessEvent;
import dev.griot.agent.harness.HarnessInvocation;
import dev.griot.agent.harness.HarnessParser;
import dev.griot.agent.harness.HarnessRegistry;
import dev.griot.agent.harness.ResumeContext;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.run.RunCommand;
import dev.griot.agent.run.RunCommand.*;
import dev.griot.agent.run.RunEntity;
import dev.griot.sandbox.OrphanReaper;
import dev.griot.sandbox.Sandbox;
import dev.griot.sandbox.SandboxCatalog;
import dev.griot.sandbox.SandboxHandle;
import dev.griot.sandbox.SandboxListener;
import dev.griot.sandbox.SandboxSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * One attempt of one run on one worker slot: starts the harness in its sandbox, turns its output
 * into normalized events, and reports them to the run through sharding, one at a time and in
 * order, each carrying the attempt number. A report is sent again until the run answers, so a
 * report is never lost; the run ignores what it already journaled. The actor stops (freeing its
 * slot) when the run acknowledged the outcome, or when the run tells it to stop.
 */
public final class AttemptRunner extends AbstractBehavior<AttemptRunner.Command> {

  /** Builds the runner for a granted lease. */
  @FunctionalInterface
  public interface Factory {
    Behavior<Command> create(LeaseGranted lease, String workerId);
  }

  /** A factory for this node: harnesses from {@code registry}, each in the sandbox kind its run names. */
  public static Factory factory(
      HarnessRegistry registry, SandboxCatalog sandboxes, OrphanReaper reaper, WorkerSettings settings,
      Optional<Checkpoints> checkpoints, Executor blocking) {
    return (lease, workerId) ->
        Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
            new AttemptRunner(ctx, timers, lease, registry, sandboxes, reaper, settings, checkpoints, blocking)));
  }

  /** Messages of the runner. */
  public interface Command {}

  /**
   * Hand the attempt back to its run at a turn boundary (the node is shutting down): at the end
   * of the turn in progress if it comes within {@code griot.worker.drain-timeout}, else at once.
   */
  public record Yield(String reason) implements Command {}

  private record Started(SandboxHandle handle, Optional<Manifest> restored) implements Command {}

  private record CheckpointTaken(long reportId, Turn turn, Checkpointer.Saved saved, Throwable error) implements Command {}

  private record StartFailed(FailureKind kind, String message) implements Command {}

  /**
   * What one stdout line said, parsed on the thread that read it; {@code pauses} is how many of
   * its turn ends already paused the sandbox there (each one is resumed by its checkpoint).
   */
  private record Stdout(List<HarnessEvent> events, int pauses) implements Command {}

  private record Stderr(String line) implements Command {}

  /** The harness ended; {@code events} is what its end told the parser (after its last line). */
  private record Exited(int code, List<HarnessEvent> events) implements Command {}

  private record Answered(long reportId, WorkerReply reply, String error) implements Command {}

  private record Control(AttemptControl message) implements Command {}

  private enum Tick implements Command {
    HEARTBEAT,
    RESEND,
    SILENCE,
    HAND_BACK,
    NOTHING
  }

  /** A report in order; {@code build} is null while the checkpoint it carries is being taken. */
  private static final class Outgoing {
    final long id;
    Function<ActorRef<WorkerReply>, RunCommand> build;

    Outgoing(long id, Function<ActorRef<WorkerReply>, RunCommand> build) {
      this.id = id;
      this.build = build;
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final LeaseGranted lease;
  private final HarnessRegistry registry;
  private final SandboxCatalog sandboxes;
  private final OrphanReaper reaper;
  private final WorkerSettings settings;
  private final Executor blocking;
  private final Optional<Checkpoints> checkpoints;
  private final org.slf4j.Logger log;
  private final Path workspace;
  /** This attempt's checkpoints in order, from the restored one; null until the harness started. */
  private CheckpointChain chain;
  private final EntityRef<RunCommand> run;
  private final ActorRef<AttemptControl> control;
  private final Deque<Outgoing> outbox = new ArrayDeque<>();
  /** The harness's last lines of stderr, told with a failure. */
  private final Deque<String> stderrTail = new ArrayDeque<>();
  /** Output and exit that arrived before {@link Started}: replayed right after it. */
  private final Deque<Command> beforeStart = new ArrayDeque<>();
  private static final int STDERR_TAIL_LINES = 5;
  private static final int STDERR_LINE_MAX = 500;
  private long nextReportId = 1;
  private boolean inFlight;
  /** Fed on the output's reader thread only (lines, then the exit): never on the actor's. */
  private HarnessParser parser;
  private SandboxHandle handle;
  /** The started sandbox, for the reader thread (which may read lines before the actor hears of the start). */
  private final java.util.concurrent.atomic.AtomicReference<SandboxHandle> started = new java.util.concurrent.atomic.AtomicReference<>();
  private boolean exited;
  private boolean stopping;
  private boolean outcomeQueued;
  /** The idle watchdog ended the harness. */
  private boolean silenced;
  /** Why the node wants the attempt back; null unless it does. */
  private String yieldReason;
  /** The attempt is being handed back: the harness is ended, its output no longer counts. */
  private boolean handingBack;
  private HarnessEvent.Result result;
  private HarnessEvent.Error failure;

  private AttemptRunner(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      LeaseGranted lease,
      HarnessRegistry registry,
      SandboxCatalog sandboxes,
      OrphanReaper reaper,
      WorkerSettings settings,
      Optional<Checkpoints> checkpoints,
      Executor blocking) {
    super(ctx);
    this.checkpoints = checkpoints;
    this.log = ctx.getLog(); // also used off the actor thread, where the context must not be touched
    this.workspace = settings.workspaceRoot().resolve(lease.runId());
    this.reaper = reaper;
    this.ctx = ctx;
    this.timers = timers;
    this.lease = lease;
    this.registry = registry;
    this.sandboxes = sandboxes;
    this.settings = settings;
    this.blocking = blocking;
    this.run = ClusterSharding.get(ctx.getSystem()).entityRefFor(RunEntity.ENTITY_KEY, lease.runId());
    this.control = ctx.messageAdapter(AttemptControl.class, Control::new);
    start();
  }

  private void start() {
    Optional<HarnessAdapter> adapter = registry.find(lease.spec().harness());
    if (adapter.isEmpty()) {
      ctx.getSelf().tell(new StartFailed(FailureKind.FATAL, "unknown harness '" + lease.spec().harness() + "'"));
      return;
    }
    Optional<ResumeContext> resume = lease.sessionId().map(id -> new ResumeContext(id, lease.completedTurns()));
    HarnessInvocation invocation = new HarnessInvocation(
        lease.runId(), lease.attempt(), lease.spec().prompt(), workspace, lease.spec().options(), resume);
    Sandbox sandbox;
    try {
      sandbox = sandboxes.forKind(lease.spec().sandbox());
    } catch (dev.griot.sandbox.SandboxException e) {
      ctx.getSelf().tell(new StartFailed(FailureKind.FATAL, e.getMessage()));
      return;
    }
    SandboxSpec spec;
    try {
      spec = adapter.get().command(invocation);
      parser = adapter.get().newParser(lease.completedTurns());
    } catch (RuntimeException e) {
      ctx.getSelf().tell(new StartFailed(FailureKind.FATAL, "bad harness options: " + e.getMessage()));
      return;
    }
    ActorRef<Command> self = ctx.getSelf();
    HarnessAdapter harness = adapter.get();
    HarnessParser lineParser = parser;
    var pid = new java.util.concurrent.atomic.AtomicLong(-1); // set after start, read at exit
    SandboxListener listener = new SandboxListener() {
      @Override
      public void onStdoutLine(String line) {
        List<HarnessEvent> events = lineParser.onLine(line);
        self.tell(new Stdout(events, pauseAtTurnEnds(events)));
      }

      @Override
      public void onStderrLine(String line) {
        self.tell(new Stderr(line));
      }

      @Override
      public void onExit(int exitCode) {
        if (pid.get() > 0) reaper.ended(pid.get()); // on the reader thread, not the actor's
        self.tell(new Exited(exitCode, lineParser.onExit(exitCode)));
      }
    };
    ctx.pipeToSelf(
        CompletableFuture.supplyAsync(() -> {
          try {
            Files.createDirectories(workspace);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          Resumption.Prepared prepared = Resumption.prepare(
              lease, workspace, checkpoints, sandbox.onThisHost(), harness, invocation, spec, log);
          SandboxHandle h = sandbox.start(prepared.spec(), listener);
          started.set(h);
          if (h.onThisHost()) { // only processes of this host can be reaped by it
            pid.set(h.pid());
            reaper.started(h.pid());
          }
          return new Started(h, prepared.restored());
        }, blocking),
        (started, err) -> err == null ? started : startFailure(err));
  }

  /**
   * On the output's reader thread, at the line that ends a turn: pauses the sandbox there and
   * then, before the harness can write anything more, so that the turn's checkpoint holds exactly
   * that turn however long the line takes to reach the actor. Returns how many pauses it took
   * (one per turn end; 0 without checkpoints, or before the sandbox's handle is known, in which
   * case the checkpoint pauses it later).
   */
  private int pauseAtTurnEnds(List<HarnessEvent> events) {
    if (checkpoints.isEmpty()) return 0;
    int pauses = 0;
    for (HarnessEvent e : events) {
      if (!(e instanceof HarnessEvent.TurnCompleted)) continue;
      SandboxHandle h = started.get();
      if (h == null || !h.onThisHost() || !h.pause()) return pauses;
      pauses++;
    }
    return pauses;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Started.class, this::onStarted)
        .onMessage(StartFailed.class, this::onStartFailed)
        .onMessage(Stdout.class, this::onStdout)
        .onMessage(Stderr.class, this::onStderr)
        .onMessage(Exited.class, this::onExited)
        .onMessage(Answered.class, this::onAnswered)
        .onMessage(CheckpointTaken.class, this::onCheckpointTaken)
        .onMessage(Control.class, this::onControl)
        .onMessage(Yield.class, this::onYield)
        .onMessageEquals(Tick.HEARTBEAT, this::onHeartbeat)
        .onMessageEquals(Tick.RESEND, this::onResend)
        .onMessageEquals(Tick.SILENCE, this::onSilence)
        .onMessageEquals(Tick.HAND_BACK, () -> handBack())
        .onMessageEquals(Tick.NOTHING, () -> this)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<Command> onStarted(Started m) {
    handle = m.handle();
    checkpoints.ifPresent(c -> chain = new CheckpointChain(c.checkpointer(), c.settings(), blocking, m.restored()));
    ctx.getLog().info("run {} attempt {}: harness {} started, pid {}", lease.runId(), lease.attempt(), lease.spec().harness(), handle.pid());
    send(replyTo -> new ReportStarted(lease.attempt(), control, replyTo));
    timers.startTimerWithFixedDelay(Tick.HEARTBEAT, Tick.HEARTBEAT, settings.heartbeatInterval());
    armWatchdog();
    // What the harness said (or how it ended) before this actor learnt it had started: now, in order.
    Behavior<Command> next = this;
    while (!beforeStart.isEmpty() && next == this) {
      Command early = beforeStart.pollFirst();
      next = early instanceof Stdout o ? onStdout(o) : early instanceof Exited x ? onExited(x) : this;
    }
    if (next != this) { // stopped: what was paused early must not stay paused
      for (Command early : beforeStart) if (early instanceof Stdout o) releasePauses(o.pauses());
    }
    if (next == this && yieldReason != null && !exited) return handBack(); // asked back before it started
    return next;
  }

  private Behavior<Command> onStartFailed(StartFailed m) {
    ctx.getLog().warn("run {} attempt {}: {}", lease.runId(), lease.attempt(), m.message());
    exited = true;
    queueOutcome(m.kind(), m.message());
    return this;
  }

  private Behavior<Command> onStdout(Stdout m) {
    if (handle == null) { // the run must hear "started" before any turn
      beforeStart.addLast(m);
      return this;
    }
    if (stopping || silenced || handingBack) {
      releasePauses(m.pauses());
      return this;
    }
    armWatchdog();
    handleEvents(m.events(), m.pauses());
    return this;
  }

  /** Resumes the pauses the reader thread took for checkpoints that will not be taken. */
  private void releasePauses(int pauses) {
    if (pauses == 0) return;
    SandboxHandle h = started.get();
    CompletableFuture.runAsync(() -> {
      for (int i = 0; i < pauses; i++) h.resume();
    }, blocking);
  }

  private void armWatchdog() {
    if (!settings.idleWatchdog().isZero()) timers.startSingleTimer(Tick.SILENCE, Tick.SILENCE, settings.idleWatchdog());
  }

  /** The harness printed nothing for the watchdog's time: end it, and fail the attempt. */
  private Behavior<Command> onSilence() {
    if (stopping || exited || silenced || handingBack) return this;
    silenced = true;
    String why = "no output from the harness for " + settings.idleWatchdog().toSeconds() + " s (idle watchdog)";
    ctx.getLog().warn("run {} attempt {}: {}", lease.runId(), lease.attempt(), why);
    queueOutcome(FailureKind.TIMEOUT, why);
    SandboxHandle h = handle;
    CompletableFuture.runAsync(() -> h.kill(settings.killGrace()), blocking);
    return this;
  }

  private Behavior<Command> onStderr(Stderr m) {
    if (handle != null && !stopping && !silenced && !handingBack) armWatchdog(); // stderr is output too
    if (stderrTail.size() == STDERR_TAIL_LINES) stderrTail.removeFirst();
    String line = m.line();
    stderrTail.addLast(line.length() > STDERR_LINE_MAX ? line.substring(0, STDERR_LINE_MAX) + "…" : line);
    return this;
  }

  private Behavior<Command> onExited(Exited m) {
    if (handle == null) {
      beforeStart.addLast(m);
      return this;
    }
    exited = true;
    if (stopping) return Behaviors.stopped();
    if (handingBack) return outbox.isEmpty() ? Behaviors.stopped() : this; // the hand-back is on its way
    if (silenced) return outbox.isEmpty() ? Behaviors.stopped() : this; // the failure is on its way
    handleEvents(m.events(), 0);
    if (result != null && result.success()) {
      HarnessEvent.Result r = result;
      outcomeQueued = true;
      send(replyTo -> new ReportSucceeded(lease.attempt(), r.text(), r.costUsd(), replyTo));
    } else if (failure != null) {
      queueOutcome(failure.kind(), failure.message());
    } else if (result != null) {
      queueOutcome(FailureKind.FATAL, "harness ended with " + result.subtype());
    } else {
      queueOutcome(m.code() == 0 ? FailureKind.FATAL : FailureKind.TRANSIENT, "harness exited with code " + m.code() + " and no result");
    }
    return this;
  }

  /** @param pauses how many of the turn ends among {@code events} already paused the sandbox */
  private void handleEvents(List<HarnessEvent> events, int pauses) {
    for (HarnessEvent e : events) {
      if (handingBack) break;
      if (e instanceof HarnessEvent.SessionStarted s)
        send(replyTo -> new ReportSession(lease.attempt(), s.sessionId(), replyTo));
      else if (e instanceof HarnessEvent.TurnCompleted t) {
        boolean paused = pauses > 0;
        if (paused) pauses--;
        if (checkpoints.isPresent() && handle.onThisHost()) checkpoint(t.turn(), paused);
        else send(replyTo -> new ReportTurn(lease.attempt(), t.turn(), Optional.empty(), replyTo));
        if (yieldReason != null) handBack(); // the turn boundary the node waited for
      }
      else if (e instanceof HarnessEvent.InputRequested q)
        send(replyTo -> new ReportInputRequested(lease.attempt(), q.question(), replyTo));
      else if (e instanceof HarnessEvent.Result r) result = r;
      else if (e instanceof HarnessEvent.Error err && failure == null) failure = err;
    }
    releasePauses(pauses); // turn ends after a hand-back: no checkpoint
  }

  /**
   * Checkpoints the workspace at the end of {@code turn}, off the actor thread: the sandbox was
   * paused by the reader thread at the turn's last line ({@code paused}; else it is paused now),
   * and stays paused until the previous scan is done and this one has read its files (so the
   * harness cannot run on into the next turn meanwhile); then the new chunks are stored, after
   * the previous checkpoint's ({@link CheckpointChain}). The turn's report waits in order until
   * then, so the run journals a turn together with its checkpoint.
   */
  private void checkpoint(Turn turn, boolean paused) {
    Outgoing report = new Outgoing(nextReportId++, null);
    outbox.addLast(report);
    SandboxHandle h = handle;
    CompletableFuture<Boolean> pause = paused ? CompletableFuture.completedFuture(true) : CompletableFuture.supplyAsync(h::pause, blocking);
    CompletableFuture<Checkpointer.Saved> saved = chain.take(turn.number(), workspace, pause, h::resume);
    ctx.pipeToSelf(saved, (s, err) -> new CheckpointTaken(report.id, turn, s, err));
  }

  private Behavior<Command> onCheckpointTaken(CheckpointTaken m) {
    Outgoing report = null;
    for (Outgoing o : outbox) if (o.id == m.reportId()) report = o;
    if (report == null) return this; // the attempt was stopped meanwhile
    Optional<CheckpointRef> ref = Optional.ofNullable(m.saved()).map(Checkpointer.Saved::ref);
    if (m.error() != null)
      ctx.getLog().warn("run {} attempt {}: no checkpoint of turn {}: {}", lease.runId(), lease.attempt(), m.turn().number(),
          rootMessage(m.error()));
    else
      ctx.getLog().debug("run {} turn {}: checkpoint {} ({} files, {} bytes, {} new)", lease.runId(), m.turn().number(),
          m.saved().ref().manifest(), m.saved().ref().files(), m.saved().ref().bytes(), m.saved().uploadedBytes());
    report.build = replyTo -> new ReportTurn(lease.attempt(), m.turn(), ref, replyTo);
    flush();
    return this;
  }

  private Behavior<Command> onYield(Yield m) {
    if (stopping || outcomeQueued || yieldReason != null) return this;
    yieldReason = m.reason();
    if (handle == null || exited) return this; // handed back once started; or its outcome is on its way
    ctx.getLog().info("run {} attempt {}: handing back at the next turn boundary: {}", lease.runId(), lease.attempt(), m.reason());
    timers.startSingleTimer(Tick.HAND_BACK, Tick.HAND_BACK, settings.drainTimeout());
    return this;
  }

  /**
   * End the harness and give the attempt back to the run at the last turn boundary it reported:
   * what the harness did after it is not journaled and is redone by the next attempt.
   */
  private Behavior<Command> handBack() {
    if (stopping || outcomeQueued || handingBack) return this;
    handingBack = true;
    outcomeQueued = true;
    timers.cancel(Tick.SILENCE);
    timers.cancel(Tick.HAND_BACK);
    String reason = yieldReason;
    ctx.getLog().info("run {} attempt {}: handing back: {}", lease.runId(), lease.attempt(), reason);
    send(replyTo -> new ReportYielded(lease.attempt(), reason, replyTo));
    if (handle != null && !exited) { // once the last turn's checkpoint has read the workspace
      SandboxHandle h = handle;
      CompletableFuture<?> read = chain != null ? chain.scanned() : CompletableFuture.completedFuture(null);
      read.whenCompleteAsync((m, err) -> h.kill(settings.killGrace()), blocking);
    }
    return this;
  }

  private void queueOutcome(FailureKind kind, String message) {
    if (outcomeQueued) return;
    outcomeQueued = true;
    String full = stderrTail.isEmpty() ? message : message + "; stderr: " + String.join(" | ", stderrTail);
    send(replyTo -> new ReportFailed(lease.attempt(), kind, full, replyTo));
  }

  // ---- reports: one in flight, in order, sent again until answered ------------------------

  private void send(Function<ActorRef<WorkerReply>, RunCommand> build) {
    outbox.addLast(new Outgoing(nextReportId++, build));
    flush();
  }

  private void flush() {
    if (inFlight || outbox.isEmpty() || outbox.peekFirst().build == null) return;
    Outgoing next = outbox.peekFirst();
    inFlight = true;
    Function<ActorRef<WorkerReply>, RunCommand> build = next.build;
    ctx.ask(WorkerReply.class, run, settings.reportTimeout(), build::apply,
        (reply, err) -> new Answered(next.id, reply, err == null ? null : String.valueOf(err)));
  }

  private Behavior<Command> onAnswered(Answered m) {
    Outgoing head = outbox.peekFirst();
    if (head == null || head.id != m.reportId()) return this;
    inFlight = false;
    if (m.reply() == null) { // no answer in time: the run may be moving; send it again
      ctx.getLog().debug("run {}: report {} unanswered ({}), sending again", lease.runId(), m.reportId(), m.error());
      timers.startSingleTimer(Tick.RESEND, Tick.RESEND, settings.reportTimeout());
      return this;
    }
    if (m.reply() instanceof Stop s) return stop(s.reason());
    if (m.reply() instanceof Rejected r)
      ctx.getLog().warn("run {} attempt {}: report rejected: {}", lease.runId(), lease.attempt(), r.reason());
    outbox.pollFirst();
    if (outbox.isEmpty() && outcomeQueued && exited) return Behaviors.stopped();
    flush();
    return this;
  }

  private Behavior<Command> onResend() {
    flush();
    return this;
  }

  private Behavior<Command> onHeartbeat() {
    if (stopping || exited) return this;
    ctx.ask(WorkerReply.class, run, settings.reportTimeout(),
        replyTo -> new Heartbeat(lease.attempt(), control, replyTo),
        (reply, err) -> reply instanceof Stop s ? new Control(new StopAttempt(lease.attempt(), s.reason())) : Tick.NOTHING);
    return this;
  }

  private Behavior<Command> onControl(Control m) {
    if (m.message().attempt() != lease.attempt()) return this;
    if (m.message() instanceof StopAttempt s) return stop(s.reason());
    ctx.getLog().warn("run {}: harness {} takes no input while running; input ignored", lease.runId(), lease.spec().harness());
    return this;
  }

  /** The run said this attempt is over: end the harness, report nothing more. */
  private Behavior<Command> stop(String reason) {
    if (stopping) return this;
    stopping = true;
    ctx.getLog().info("run {} attempt {}: stopping harness: {}", lease.runId(), lease.attempt(), reason);
    outbox.clear();
    timers.cancelAll();
    if (handle == null || exited) return Behaviors.stopped();
    SandboxHandle h = handle;
    // The slot stays taken until the harness has exited (Exited stops this actor).
    CompletableFuture.runAsync(() -> h.kill(settings.killGrace()), blocking);
    return this;
  }

  private Behavior<Command> onPostStop(PostStop signal) {
    if (handle != null && !exited) { // the node is going down: leave no harness behind
      SandboxHandle h = handle;
      CompletableFuture.runAsync(() -> h.kill(settings.killGrace()), blocking);
    }
    return this;
  }

  /** A sandbox that refuses the spec fails the run for good; any other start failure is retried. */
  private static StartFailed startFailure(Throwable err) {
    Throwable t = err;
    while (t.getCause() != null && !(t instanceof dev.griot.sandbox.SandboxException)) t = t.getCause();
    if (t instanceof dev.griot.sandbox.SandboxException se && se.permanent())
      return new StartFailed(FailureKind.FATAL, "sandbox refused the harness: " + se.getMessage());
    return new StartFailed(FailureKind.SANDBOX, "sandbox could not start: " + rootMessage(err));
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }
}
