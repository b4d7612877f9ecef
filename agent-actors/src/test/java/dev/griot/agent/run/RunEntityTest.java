package dev.griot.agent.run;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import dev.griot.agent.checkpoint.CheckpointRef;
import dev.griot.agent.harness.FailureKind;
import dev.griot.agent.harness.Turn;
import dev.griot.agent.harness.TurnItem;
import dev.griot.agent.harness.Usage;
import dev.griot.agent.run.RunCommand.*;
import dev.griot.agent.run.RunEvent.*;
import dev.griot.agent.queue.QueueEntity;
import dev.griot.agent.queue.QueueRelay;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run lifecycle of DESIGN.md §3, one entity at a time on the in-memory journal: every allowed
 * transition, a sample of refused ones, recovery with {@code restart()}, and timers re-armed after
 * recovery. The testkit checks that every command, event, reply and state survives serialization.
 */
class RunEntityTest {

  private static final ActorTestKit testKit = ActorTestKit.create(
      ManualTime.config()
          .withFallback(EventSourcedBehaviorTestKit.config())
          .withFallback(ConfigFactory.load()));
  private static final ManualTime manualTime = ManualTime.get(testKit.system());

  private static final RunSettings SETTINGS = RunSettings.fromConfig(ConfigFactory.load());
  private static final RetryPolicy RETRY = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(60), 0.0);
  private static final RunTimeouts TIMEOUTS =
      new RunTimeouts(Duration.ZERO, Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofSeconds(40));

  private final TestClock clock = new TestClock();
  private TestProbe<QueueRelay.Command> queue;
  private TestProbe<AttemptControl> worker;
  private EventSourcedBehaviorTestKit<RunCommand, RunEvent, RunState> kit;
  private int runCounter;
  private volatile boolean workerNodeUp = true;

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    queue = testKit.createTestProbe();
    worker = testKit.createTestProbe();
    String runId = "run-test-" + (++runCounter) + "-" + System.nanoTime();
    workerNodeUp = true;
    var ports = new RunEntity.Ports(queue.ref(), RunSummaryStore.NONE, clock, () -> 0.5, workerId -> workerNodeUp);
    kit = EventSourcedBehaviorTestKit.create(testKit.system(), RunEntity.create(runId, SETTINGS, ports, Optional.empty()));
  }

  /** The next thing the run tells its queue in {@code phase}, skipping what it tells in others. */
  private QueueEntity.Track expectTracked(QueueEntity.Phase phase) {
    List<QueueRelay.Command> found = queue.fishForMessage(Duration.ofSeconds(3), t ->
        t instanceof QueueEntity.Track track && track.phase() == phase
            ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return (QueueEntity.Track) found.get(found.size() - 1);
  }

  private static RunSpec spec(RunTimeouts timeouts) {
    return new RunSpec("scripted", "do the thing", Map.of("turns", "3"), "default", timeouts, RETRY, "");
  }

  private void passTime(Duration d) {
    clock.advance(d);
    manualTime.timePasses(d);
  }

  /** Lets time pass while the worker of attempt 1 keeps heartbeating, so only deadlines fire. */
  private void passTimeAlive(Duration total) {
    Duration step = SETTINGS.leaseTimeout().minusSeconds(1);
    for (Duration passed = Duration.ZERO; passed.compareTo(total) < 0; passed = passed.plus(step)) {
      report(r -> new Heartbeat(1, worker.ref(), r));
      passTime(step.compareTo(total.minus(passed)) < 0 ? step : total.minus(passed));
    }
  }

  private CommandResultWithReply<RunCommand, RunEvent, RunState, Reply> submit(RunSpec spec) {
    return kit.runCommand(replyTo -> new Submit(spec, replyTo));
  }

  private LeaseGranted lease() {
    var r = kit.<LeaseReply>runCommand(replyTo -> new OfferSlot("node-1/slot-0", replyTo));
    return assertInstanceOf(LeaseGranted.class, r.reply());
  }

  private WorkerReply report(java.util.function.Function<org.apache.pekko.actor.typed.ActorRef<WorkerReply>, RunCommand> c) {
    return kit.<WorkerReply>runCommand(c::apply).reply();
  }

  private RunStatus status() {
    return kit.getState() instanceof RunState.Accepted a ? a.status() : null;
  }

  private static Turn turn(int n) {
    return new Turn(n, List.of(new TurnItem.Message("msg_" + n, "turn " + n)), new Usage(10, 2, 0, 0));
  }

  /** Submit, lease attempt 1, start it: the run is running. */
  private LeaseGranted running(RunTimeouts timeouts) {
    submit(spec(timeouts));
    LeaseGranted lease = lease();
    report(r -> new ReportStarted(lease.attempt(), worker.ref(), r));
    assertEquals(RunStatus.RUNNING, status());
    return lease;
  }

  // ---- submit and idempotency -------------------------------------------------------------

  @Test
  void theRunTellsItsQueueWhereItStandsWithItsPriority() {
    submit(new RunSpec("scripted", "do the thing", Map.of(), "gpu", TIMEOUTS, RETRY, "", RunBudget.NONE, "", 1));
    QueueEntity.Track waiting = expectTracked(QueueEntity.Phase.WAITING);
    assertEquals("gpu", waiting.queue());
    assertEquals(1, waiting.priority());
    assertEquals(((RunState.Accepted) kit.getState()).record().submittedAt(), waiting.submittedAt());
    lease();
    expectTracked(QueueEntity.Phase.ACTIVE); // counts against the queue's max-concurrency
    report(r -> new ReportStarted(1, worker.ref(), r));
    report(r -> new ReportSucceeded(1, "ok", 0, r));
    expectTracked(QueueEntity.Phase.GONE);
  }

  @Test
  void submitQueuesTheRunAndTellsItsQueue() {
    var result = submit(spec(TIMEOUTS));
    Ok ok = assertInstanceOf(Ok.class, result.reply());
    assertTrue(ok.created());
    assertEquals(RunStatus.QUEUED, ok.view().status());
    assertEquals(2, result.events().size());
    assertInstanceOf(RunSubmitted.class, result.events().get(0));
    assertInstanceOf(RunQueued.class, result.events().get(1));
    assertEquals(2, ok.view().lastSequenceNr());
    expectTracked(QueueEntity.Phase.WAITING);
  }

  @Test
  void theSameSpecAgainReturnsTheSameRunAndADifferentOneConflicts() {
    submit(spec(TIMEOUTS));
    var again = submit(spec(TIMEOUTS));
    assertFalse(assertInstanceOf(Ok.class, again.reply()).created());
    assertTrue(again.hasNoEvents());
    var other = submit(new RunSpec("scripted", "something else", Map.of(), "default", TIMEOUTS, RETRY, ""));
    assertInstanceOf(Conflict.class, other.reply());
    assertTrue(other.hasNoEvents());
  }

  @Test
  void anUnknownRunIsNotFound() {
    assertInstanceOf(NotFound.class, kit.<Reply>runCommand(Get::new).reply());
    assertInstanceOf(NotFound.class, kit.<Reply>runCommand(r -> new Cancel("", r)).reply());
    assertInstanceOf(Stop.class, report(r -> new Heartbeat(1, worker.ref(), r)));
    assertInstanceOf(RunState.Empty.class, kit.getState());
  }

  // ---- the happy path ------------------------------------------------------------------

  @Test
  void aRunGoesQueuedAssignedRunningCompletedAndJournalsEachTurnOnce() {
    submit(spec(TIMEOUTS));
    LeaseGranted lease = lease();
    assertEquals(1, lease.attempt());
    assertEquals(Optional.empty(), lease.sessionId());
    assertEquals(RunStatus.ASSIGNED, status());

    assertInstanceOf(Acked.class, report(r -> new ReportStarted(1, worker.ref(), r)));
    assertEquals(RunStatus.RUNNING, status());
    assertInstanceOf(Acked.class, report(r -> new ReportSession(1, "sess-1", r)));

    var t1 = kit.<WorkerReply>runCommand(r -> new ReportTurn(1, turn(1), Optional.empty(), r));
    assertInstanceOf(TurnJournaled.class, t1.event());
    var dup = kit.<WorkerReply>runCommand(r -> new ReportTurn(1, turn(1), Optional.empty(), r));
    assertInstanceOf(Acked.class, dup.reply());
    assertTrue(dup.hasNoEvents(), "a duplicate turn is acknowledged, not journaled again");
    var gap = kit.<WorkerReply>runCommand(r -> new ReportTurn(1, turn(3), Optional.empty(), r));
    assertInstanceOf(Rejected.class, gap.reply());
    assertTrue(gap.hasNoEvents());
    report(r -> new ReportTurn(1, turn(2), Optional.empty(), r));

    var done = kit.<WorkerReply>runCommand(r -> new ReportSucceeded(1, "all done", 0.25, r));
    assertInstanceOf(RunCompleted.class, done.event());
    RunState.Completed completed = assertInstanceOf(RunState.Completed.class, kit.getState());
    assertEquals("all done", completed.resultText());
    assertEquals(2, completed.record().completedTurns());
    assertEquals(new Usage(20, 4, 0, 0), completed.record().usage());
    assertEquals(Optional.of("sess-1"), completed.record().sessionId());
    assertTrue(completed.record().attempts().get(0).endedAt().isPresent());
  }

  // ---- refused transitions ----------------------------------------------------------------

  @Test
  void commandsThatDoNotFitTheStateAreRefusedWithTheReason() {
    running(TIMEOUTS);
    Refused redrive = assertInstanceOf(Refused.class, kit.<Reply>runCommand(Redrive::new).reply());
    assertEquals(RunStatus.RUNNING, redrive.status());
    assertTrue(redrive.reason().contains("cannot re-drive"), redrive.reason());
    assertInstanceOf(Refused.class, kit.<Reply>runCommand(r -> new ProvideInput("yes", r)).reply());
    assertInstanceOf(LeaseDeclined.class, kit.<LeaseReply>runCommand(r -> new OfferSlot("w", r)).reply());

    report(r -> new ReportSucceeded(1, "ok", 0, r));
    Refused cancel = assertInstanceOf(Refused.class, kit.<Reply>runCommand(r -> new Cancel("", r)).reply());
    assertEquals(RunStatus.COMPLETED, cancel.status());
    assertTrue(cancel.reason().contains("completed"), cancel.reason());
    assertInstanceOf(Stop.class, report(r -> new ReportTurn(1, turn(1), Optional.empty(), r)), "a finished run stops its worker");
  }

  @Test
  void aReportOfAStaleAttemptIsToldToStop() {
    running(TIMEOUTS);
    Stop stop = assertInstanceOf(Stop.class, report(r -> new ReportTurn(2, turn(1), Optional.empty(), r)));
    assertTrue(stop.reason().contains("stale"), stop.reason());
    assertEquals(0, ((RunState.Accepted) kit.getState()).record().completedTurns());
  }

  // ---- failures, retries, dead letters ------------------------------------------------------

  @Test
  void aTransientFailureSchedulesARetryThatResumesFromTheLastTurn() {
    running(TIMEOUTS);
    report(r -> new ReportSession(1, "sess-1", r));
    CheckpointRef checkpoint = new CheckpointRef("ab12", 1, 3, 4096);
    report(r -> new ReportTurn(1, turn(1), Optional.of(checkpoint), r));
    var failed = kit.<WorkerReply>runCommand(r -> new ReportFailed(1, FailureKind.TRANSIENT, "529 overloaded", r));
    assertInstanceOf(RunEvent.BackoffStarted.class, failed.event());
    RunState.RetryScheduled retry = assertInstanceOf(RunState.RetryScheduled.class, kit.getState());
    assertEquals(clock.instant().plusSeconds(1), retry.retryAt(), "1 s backoff after attempt 1 (no jitter at 0.5)");
    assertEquals(Optional.of(FailureKind.TRANSIENT), retry.record().attempts().get(0).failure());
    expectTracked(QueueEntity.Phase.WAITING); // queued once at submit

    passTime(Duration.ofSeconds(1));
    expectTracked(QueueEntity.Phase.WAITING);
    assertEquals(RunStatus.QUEUED, status());
    LeaseGranted second = lease();
    assertEquals(2, second.attempt());
    assertEquals(Optional.of("sess-1"), second.sessionId());
    assertEquals(1, second.completedTurns());
    assertEquals(Optional.of(checkpoint), second.checkpoint(), "the workspace as of turn 1 goes with the lease");
  }

  @Test
  void aSandboxFailureOfAnAssignedAttemptIsFailedThenRetried() {
    submit(spec(TIMEOUTS));
    lease();
    var result = kit.<WorkerReply>runCommand(r -> new ReportFailed(1, FailureKind.SANDBOX, "no such rootfs", r));
    assertInstanceOf(AttemptFailed.class, result.event());
    // the decision follows on its own
    assertEventually(() -> assertEquals(RunStatus.RETRY_SCHEDULED, status()));
  }

  @Test
  void aFatalFailureDeadLettersAtOnceAndAnOperatorCanRedrive() {
    running(TIMEOUTS);
    report(r -> new ReportFailed(1, FailureKind.FATAL, "401 authentication_failed", r));
    assertEventually(() -> assertEquals(RunStatus.DEAD_LETTERED, status()));
    RunState.DeadLettered dead = (RunState.DeadLettered) kit.getState();
    assertTrue(dead.reason().contains("fatal"), dead.reason());

    Ok ok = assertInstanceOf(Ok.class, kit.<Reply>runCommand(Redrive::new).reply());
    assertEquals(RunStatus.QUEUED, ok.view().status());
    assertEquals(2, lease().attempt());
  }

  @Test
  void whenTheRetryBudgetIsSpentTheRunIsDeadLettered() {
    submit(spec(TIMEOUTS));
    for (int attempt = 1; attempt <= 3; attempt++) {
      int a = attempt;
      assertEquals(a, lease().attempt());
      report(r -> new ReportStarted(a, worker.ref(), r));
      report(r -> new ReportFailed(a, FailureKind.TRANSIENT, "crash " + a, r));
      if (a < 3) {
        assertEquals(RunStatus.RETRY_SCHEDULED, status());
        // Exactly the backoff (1 s, 2 s: no jitter at 0.5): passing more time while the entity
        // persists would also fire the journal's circuit-breaker timeout on the manual clock.
        passTime(Duration.ofSeconds(1L << (a - 1)));
        assertEventually(() -> assertEquals(RunStatus.QUEUED, status()));
      }
    }
    assertEventually(() -> assertEquals(RunStatus.DEAD_LETTERED, status()));
    assertTrue(((RunState.DeadLettered) kit.getState()).reason().contains("retry budget spent after 3"));

    // An operator's re-drive gives the run a fresh retry budget.
    kit.<Reply>runCommand(Redrive::new);
    assertEquals(4, lease().attempt());
    report(r -> new ReportStarted(4, worker.ref(), r));
    report(r -> new ReportFailed(4, FailureKind.TRANSIENT, "crash 4", r));
    assertEquals(RunStatus.RETRY_SCHEDULED, status());
  }

  @Test
  void aWorkerThatDidNotHearItsGrantOffersAgainAndGetsTheSameLease() {
    submit(spec(TIMEOUTS));
    LeaseGranted first = lease();
    var again = kit.<LeaseReply>runCommand(r -> new OfferSlot("node-1/slot-0", r));
    assertEquals(first, again.reply(), "the same attempt, nothing persisted");
    assertTrue(again.events().isEmpty());
    var other = kit.<LeaseReply>runCommand(r -> new OfferSlot("node-2/slot-3", r));
    assertInstanceOf(LeaseDeclined.class, other.reply(), "another worker gets nothing");
  }

  @Test
  void anAttemptHandedBackQueuesAtOnceAndDoesNotCountAgainstTheRetryBudget() {
    submit(spec(TIMEOUTS)); // RETRY: at most 3 attempts
    expectTracked(QueueEntity.Phase.WAITING);
    for (int attempt = 1; attempt <= 4; attempt++) { // four hand-backs: more than the budget
      int a = attempt;
      assertEquals(a, lease().attempt());
      report(r -> new ReportStarted(a, worker.ref(), r));
      report(r -> new ReportSession(a, "sess-1", r));
      report(r -> new ReportTurn(a, turn(a), Optional.empty(), r));
      Acked acked = assertInstanceOf(Acked.class, report(r -> new ReportYielded(a, "node going down", r)));
      assertEquals("yield", acked.what());
      assertEquals(RunStatus.QUEUED, status(), "no backoff: the run is ready for its next attempt at once");
      expectTracked(QueueEntity.Phase.WAITING);
    }
    RunRecord r = ((RunState.Accepted) kit.getState()).record();
    assertEquals(4, r.completedTurns());
    assertEquals(0, r.attemptsInBudget());
    Attempt first = r.attempts().get(0);
    assertTrue(first.yielded() && first.failure().isEmpty() && first.endedAt().isPresent(), first.toString());
    assertEquals("", r.lastFailure());
    LeaseGranted fifth = lease();
    assertEquals(Optional.of("sess-1"), fifth.sessionId());
    assertEquals(4, fifth.completedTurns());
    // A late hand-back from an attempt that is over is stale.
    assertInstanceOf(Stop.class, report(rr -> new ReportYielded(4, "late duplicate", rr)), "attempt 4 is over");
  }

  @Test
  void aWorkerStillReportingForARequeuedRunIsToldToStop() {
    running(TIMEOUTS);
    report(r -> new ReportFailed(1, FailureKind.TRANSIENT, "529", r));
    passTime(Duration.ofSeconds(1));
    assertEquals(RunStatus.QUEUED, status());
    assertInstanceOf(Stop.class, report(r -> new Heartbeat(1, worker.ref(), r)), "attempt 1 is over even before attempt 2 exists");
  }

  @Test
  void aRunStopsAtTheTurnThatGoesBeyondItsBudgetAndIsDeadLettered() {
    RunSpec base = spec(TIMEOUTS);
    submit(new RunSpec(base.harness(), base.prompt(), base.options(), base.queue(), base.timeouts(), base.retry(), "",
        new RunBudget(2, 0)));
    lease();
    report(r -> new ReportStarted(1, worker.ref(), r));
    assertInstanceOf(Acked.class, report(r -> new ReportTurn(1, turn(1), Optional.empty(), r)));
    assertInstanceOf(Acked.class, report(r -> new ReportTurn(1, turn(2), Optional.empty(), r)), "a budget of 2 turns allows 2 turns");
    var third = kit.<WorkerReply>runCommand(r -> new ReportTurn(1, turn(3), Optional.empty(), r));
    Stop stop = assertInstanceOf(Stop.class, third.reply(), "the worker ends the harness at this turn");
    assertTrue(stop.reason().contains("turn budget of 2 exceeded"), stop.reason());
    assertInstanceOf(TurnJournaled.class, third.events().get(0), "the turn that crossed the budget is kept");
    assertEquals(FailureKind.BUDGET, assertInstanceOf(AttemptFailed.class, third.events().get(1)).kind());
    assertEventually(() -> assertEquals(RunStatus.DEAD_LETTERED, status()));
    assertEquals(3, ((RunState.Accepted) kit.getState()).record().completedTurns());
  }

  @Test
  void aTokenBudgetCountsInputAndOutputTokens() {
    RunSpec base = spec(TIMEOUTS);
    submit(new RunSpec(base.harness(), base.prompt(), base.options(), base.queue(), base.timeouts(), base.retry(), "",
        new RunBudget(0, 30))); // each test turn uses 10 in + 2 out
    lease();
    report(r -> new ReportStarted(1, worker.ref(), r));
    assertInstanceOf(Acked.class, report(r -> new ReportTurn(1, turn(1), Optional.empty(), r)));
    assertInstanceOf(Acked.class, report(r -> new ReportTurn(1, turn(2), Optional.empty(), r)));
    Stop stop = assertInstanceOf(Stop.class, report(r -> new ReportTurn(1, turn(3), Optional.empty(), r)));
    assertTrue(stop.reason().contains("token budget of 30 exceeded (36 used)"), stop.reason());
  }

  @Test
  void aCostBudgetPricesTheTokensAtTheRunsModel() {
    RunSpec base = spec(TIMEOUTS);
    var options = new java.util.HashMap<>(base.options());
    options.put("model", "claude-sonnet-4-5"); // $3 in, $15 out per million: a test turn costs $0.00006
    submit(new RunSpec(base.harness(), base.prompt(), options, base.queue(), base.timeouts(), base.retry(), "",
        new RunBudget(0, 0, 0.0001)));
    lease();
    report(r -> new ReportStarted(1, worker.ref(), r));
    assertInstanceOf(Acked.class, report(r -> new ReportTurn(1, turn(1), Optional.empty(), r)));
    Stop stop = assertInstanceOf(Stop.class, report(r -> new ReportTurn(1, turn(2), Optional.empty(), r)));
    assertEquals("cost budget of $0.0001 exceeded ($0.000120 at claude-sonnet-4-5 prices)", stop.reason());
    assertEventually(() -> assertEquals(RunStatus.DEAD_LETTERED, status()));
  }

  @Test
  void aWorkerWhoseNodeLeftTheClusterIsLostAtOnceWithoutWaitingOutItsLease() {
    running(TIMEOUTS);
    kit.runCommand(CheckWorker.INSTANCE);
    assertEquals(RunStatus.RUNNING, status(), "its node is up: nothing happens");
    workerNodeUp = false; // the node was downed
    kit.runCommand(CheckWorker.INSTANCE);
    assertEventually(() -> assertEquals(RunStatus.RETRY_SCHEDULED, status()));
    var attempt = ((RunState.Accepted) kit.getState()).record().attempts().get(0);
    assertEquals(Optional.of(FailureKind.TRANSIENT), attempt.failure());
    assertEquals("worker lost: its node left the cluster (node-1/slot-0)", attempt.failureMessage());
  }

  // ---- deadlines ---------------------------------------------------------------------------

  @Test
  void aQueueWaitDeadlineTimesOutAndDeadLetters() {
    submit(spec(new RunTimeouts(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, Duration.ZERO)));
    passTime(Duration.ofSeconds(5));
    assertEventually(() -> assertEquals(RunStatus.DEAD_LETTERED, status()));
    assertTrue(((RunState.DeadLettered) kit.getState()).reason().contains("queue-wait"));
  }

  @Test
  void aStartDeadlineTimesOutTheAttemptAndRetries() {
    submit(spec(TIMEOUTS));
    lease();
    passTimeAlive(Duration.ofSeconds(30));
    assertEventually(() -> assertEquals(RunStatus.RETRY_SCHEDULED, status()));
    Attempt first = ((RunState.Accepted) kit.getState()).record().attempts().get(0);
    assertEquals(Optional.of(FailureKind.TIMEOUT), first.failure());
  }

  @Test
  void aRunDeadlineStopsTheWorkerAndRetries() {
    running(TIMEOUTS);
    passTimeAlive(Duration.ofMinutes(1));
    StopAttempt stop = worker.expectMessageClass(StopAttempt.class);
    assertEquals(1, stop.attempt());
    assertEventually(() -> assertEquals(RunStatus.RETRY_SCHEDULED, status()));
    assertEquals(Optional.of(FailureKind.TIMEOUT), ((RunState.Accepted) kit.getState()).record().attempts().get(0).failure());
  }

  @Test
  void aLostWorkerIsNoticedByLeaseExpiry() {
    running(TIMEOUTS);
    passTime(SETTINGS.heartbeatInterval());
    report(r -> new Heartbeat(1, worker.ref(), r)); // alive: the lease is renewed
    passTime(SETTINGS.leaseTimeout().minus(SETTINGS.heartbeatInterval()));
    assertEquals(RunStatus.RUNNING, status());
    passTime(SETTINGS.heartbeatInterval());
    assertEquals(RunStatus.RETRY_SCHEDULED, status());
    assertTrue(((RunState.Accepted) kit.getState()).record().lastFailure().contains("worker lost"));
  }

  // ---- human input -------------------------------------------------------------------------

  @Test
  void aRunWaitsForInputAndGoesOnWhenGiven() {
    running(TIMEOUTS);
    report(r -> new ReportInputRequested(1, "Deploy to prod?", r));
    assertEquals(RunStatus.WAITING_FOR_INPUT, status());
    Ok ok = assertInstanceOf(Ok.class, kit.<Reply>runCommand(r -> new ProvideInput("yes", r)).reply());
    assertEquals(RunStatus.RUNNING, ok.view().status());
    assertEquals(new DeliverInput(1, "yes"), worker.expectMessageClass(DeliverInput.class));
  }

  @Test
  void anUnansweredQuestionTimesOut() {
    running(TIMEOUTS);
    report(r -> new ReportInputRequested(1, "Deploy to prod?", r));
    passTimeAlive(Duration.ofSeconds(40));
    assertEventually(() -> assertEquals(RunStatus.RETRY_SCHEDULED, status()));
    Attempt first = ((RunState.Accepted) kit.getState()).record().attempts().get(0);
    assertEquals(Optional.of(FailureKind.TIMEOUT), first.failure());
    assertTrue(first.failureMessage().contains("input deadline"), first.failureMessage());
  }

  // ---- cancel from every state that allows it ------------------------------------------------

  @Test
  void cancelFromQueued() {
    submit(spec(TIMEOUTS));
    assertEquals(RunStatus.CANCELLED, assertInstanceOf(Ok.class, kit.<Reply>runCommand(r -> new Cancel("no longer needed", r)).reply()).view().status());
    assertEquals("no longer needed", ((RunState.Cancelled) kit.getState()).reason());
  }

  @Test
  void cancelFromRunningStopsTheWorker() {
    running(TIMEOUTS);
    kit.<Reply>runCommand(r -> new Cancel("", r));
    assertEquals(RunStatus.CANCELLED, status());
    assertEquals(new StopAttempt(1, "cancelled by user"), worker.expectMessageClass(StopAttempt.class));
    assertEquals(Optional.of(FailureKind.CANCELLED), ((RunState.Accepted) kit.getState()).record().attempts().get(0).failure());
  }

  @Test
  void cancelFromAssignedWaitingAndRetryScheduled() {
    submit(spec(TIMEOUTS));
    lease();
    kit.<Reply>runCommand(r -> new Cancel("", r));
    assertEquals(RunStatus.CANCELLED, status());

    setUp();
    running(TIMEOUTS);
    report(r -> new ReportInputRequested(1, "?", r));
    kit.<Reply>runCommand(r -> new Cancel("", r));
    assertEquals(RunStatus.CANCELLED, status());

    setUp();
    running(TIMEOUTS);
    report(r -> new ReportFailed(1, FailureKind.TRANSIENT, "529", r));
    kit.<Reply>runCommand(r -> new Cancel("", r));
    assertEquals(RunStatus.CANCELLED, status());
    passTime(Duration.ofSeconds(60));
    assertEquals(RunStatus.CANCELLED, status(), "the backoff timer of a cancelled run does nothing");
  }

  // ---- recovery ----------------------------------------------------------------------------

  @Test
  void recoveryRestoresTheStateAndTheQueuedRunTellsItsQueueAgain() {
    submit(spec(TIMEOUTS));
    expectTracked(QueueEntity.Phase.WAITING);
    var restarted = kit.restart();
    assertEquals(RunStatus.QUEUED, ((RunState.Accepted) restarted.state()).status());
    // the stopped incarnation told its node's relay to forget it, the new one tells it again
    assertEquals(new QueueRelay.Forget(((RunState.Accepted) restarted.state()).record().runId()), queue.receiveMessage());
    expectTracked(QueueEntity.Phase.WAITING);
  }

  @Test
  void aRetryTimerIsReArmedAfterRecovery() {
    running(TIMEOUTS);
    report(r -> new ReportTurn(1, turn(1), Optional.empty(), r));
    report(r -> new ReportFailed(1, FailureKind.TRANSIENT, "529", r));
    assertEquals(RunStatus.RETRY_SCHEDULED, status());
    passTime(Duration.ofMillis(400));
    kit.restart();
    assertEquals(RunStatus.RETRY_SCHEDULED, status());
    passTime(Duration.ofMillis(600));
    assertEquals(RunStatus.QUEUED, status());
    assertEquals(1, ((RunState.Accepted) kit.getState()).record().completedTurns());
  }

  @Test
  void aRunningRunRecoveredWithoutItsWorkerRetriesAfterTheLeaseTimeout() {
    running(TIMEOUTS);
    kit.restart();
    assertEquals(RunStatus.RUNNING, status());
    passTime(SETTINGS.leaseTimeout());
    assertEquals(RunStatus.RETRY_SCHEDULED, status());
  }

  @Test
  void aRunFailedBeforeItsDecisionDecidesAfterRecovery() {
    // Persist an AttemptFailed without the decision, as if the node died between the two.
    running(TIMEOUTS);
    kit.restart(); // clear the in-memory timers and self messages
    report(r -> new ReportFailed(1, FailureKind.SANDBOX, "gone", r));
    kit.restart();
    assertEventually(() -> assertEquals(RunStatus.RETRY_SCHEDULED, status()));
  }

  private static void assertEventually(Runnable assertion) {
    testKit.createTestProbe().awaitAssert(Duration.ofSeconds(3), () -> {
      assertion.run();
      return null;
    });
  }
}
