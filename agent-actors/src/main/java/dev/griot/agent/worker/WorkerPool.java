package dev.griot.agent.worker;

import dev.griot.agent.run.RunCommand.LeaseDeclined;
import dev.griot.agent.run.RunCommand.LeaseGranted;
import dev.griot.agent.run.RunCommand.LeaseReply;
import dev.griot.agent.run.RunCommand.OfferSlot;
import dev.griot.agent.run.RunEntity;
import dev.griot.persistence.CborSerializable;
import dev.griot.agent.queue.QueueEntity;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.BitSet;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * This node's harness slots. While a slot is free the pool pulls from every queue it serves
 * ({@link QueueEntity.Pull}, through sharding; a queue holds the pull until it has a run). For
 * each run a queue hands it, the pool offers a free slot to the run, and a run that grants a lease
 * gets an {@link AttemptRunner} in that slot until the attempt ends. Runs beyond its free slots go
 * back to their queue ({@link QueueEntity.Unclaimed}).
 *
 * <p>The pool learns the queues from the queues themselves: a queue entity tells every pool of
 * the cluster that it exists when it starts ({@link QueueOpened}, again after a move), and a pool
 * whose pull was held by the queue's previous incarnation pulls again at once.
 *
 * <p>When the node shuts down, {@link Drain} stops the pulls and hands every running attempt back
 * to its run at a turn boundary ({@link AttemptRunner.Yield}), so the runs go on elsewhere
 * without a failed attempt; it answers once every slot is empty.
 */
public final class WorkerPool extends AbstractBehavior<WorkerPool.Command> {

  /** Messages of the pool. */
  public interface Command extends CborSerializable {}

  /** Every pool of the cluster, for the queue entities that tell them they exist. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "griot-worker-pools");

  /** Queue {@code queue} has (re)started: pull from it, and pull again if a pull was out. */
  public record QueueOpened(String queue) implements Command {}

  private record PullAnswered(String queue, long generation, QueueEntity.Pulled pulled) implements Command {}

  private record PullFailed(String queue, long generation, String error) implements Command {}

  private record PullAgain(String queue) implements Command {}

  /** Stop taking runs and hand back the running ones; answered when no attempt is left here. */
  public record Drain(String reason, ActorRef<Done> replyTo) implements Command {}

  private record LeaseAnswer(String runId, int slot, LeaseReply reply) implements Command {}

  private record LeaseAskFailed(String runId, int slot, int tries, String error) implements Command {}

  /**
   * How often a slot is offered to the same run before it is given up: an unanswered offer may
   * have been granted (the answer lost while the run moved between nodes), and the run grants
   * the same lease again to the same slot.
   */
  private static final int OFFER_TRIES = 4;

  private record AttemptEnded(String runId, int slot) implements Command {}

  /** A pool whose pulls a queue holds for at most {@code pullHold} ({@code griot.queue.pull-hold}). */
  public static Behavior<Command> create(
      String nodeId, WorkerSettings settings, Duration pullHold, AttemptRunner.Factory runners) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new WorkerPool(ctx, timers, nodeId, settings, pullHold, runners)));
  }

  private final String nodeId;
  private final WorkerSettings settings;
  private final AttemptRunner.Factory runners;
  private final ClusterSharding sharding;
  private final TimerScheduler<Command> timers;
  private final Duration pullTimeout;
  private final BitSet busy;
  private final Map<Integer, ActorRef<AttemptRunner.Command>> running = new HashMap<>();
  private final List<ActorRef<Done>> drained = new ArrayList<>();
  /** The queues this pool pulls from, each with the generation of its pull out (0: none out). */
  private final Map<String, Long> pulling = new HashMap<>();
  private long generations;
  private String drainReason;

  private WorkerPool(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, String nodeId, WorkerSettings settings,
      Duration pullHold, AttemptRunner.Factory runners) {
    super(ctx);
    this.nodeId = nodeId;
    this.settings = settings;
    this.runners = runners;
    this.timers = timers;
    this.pullTimeout = pullHold.plus(settings.reportTimeout());
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.busy = new BitSet(settings.slots());
    ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
    ctx.getLog().info("worker {} has {} harness slots for {}", nodeId, settings.slots(),
        settings.queues().isEmpty() ? "every queue" : "queues " + settings.queues());
    settings.queues().forEach(q -> pulling.put(q, 0L));
    pullWhereIdle();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(QueueOpened.class, this::onQueueOpened)
        .onMessage(PullAnswered.class, this::onPullAnswered)
        .onMessage(PullFailed.class, this::onPullFailed)
        .onMessage(PullAgain.class, m -> {
          if (pulling.getOrDefault(m.queue(), 1L) == 0L) pull(m.queue());
          return this;
        })
        .onMessage(LeaseAnswer.class, this::onLeaseAnswer)
        .onMessage(LeaseAskFailed.class, this::onLeaseAskFailed)
        .onMessage(AttemptEnded.class, this::onAttemptEnded)
        .onMessage(Drain.class, this::onDrain)
        .build();
  }

  private Behavior<Command> onQueueOpened(QueueOpened m) {
    if (drainReason != null || !settings.serves(m.queue())) return this;
    pulling.put(m.queue(), 0L); // a pull held by the queue's previous incarnation is lost with it
    pull(m.queue());
    return this;
  }

  private Behavior<Command> onPullAnswered(PullAnswered m) {
    if (pulling.getOrDefault(m.queue(), -1L) == m.generation()) pulling.put(m.queue(), 0L);
    List<String> unclaimed = new ArrayList<>();
    for (String runId : m.pulled().runIds()) {
      int slot = busy.nextClearBit(0);
      if (drainReason != null || slot >= settings.slots()) {
        unclaimed.add(runId);
        continue;
      }
      busy.set(slot);
      offer(runId, slot, 1);
    }
    if (!unclaimed.isEmpty())
      sharding.entityRefFor(QueueEntity.ENTITY_KEY, m.queue()).tell(new QueueEntity.Unclaimed(unclaimed));
    pullWhereIdle();
    return this;
  }

  private Behavior<Command> onPullFailed(PullFailed m) {
    if (pulling.getOrDefault(m.queue(), -1L) != m.generation()) return this; // a newer pull is out
    pulling.put(m.queue(), 0L);
    // No answer: the queue's node may be gone. Its next incarnation says so (QueueOpened); until
    // then, try again after a pause rather than at once.
    getContext().getLog().debug("pull from queue {} got no answer: {}", m.queue(), m.error());
    timers.startSingleTimer("pull-" + m.queue(), new PullAgain(m.queue()), settings.reportTimeout());
    return this;
  }

  private Behavior<Command> onLeaseAnswer(LeaseAnswer m) {
    if (m.reply() instanceof LeaseGranted lease) {
      var runner = getContext().spawn(
          runners.create(lease, workerId(m.slot())), "attempt-" + m.runId() + "-" + lease.attempt());
      getContext().watchWith(runner, new AttemptEnded(m.runId(), m.slot()));
      running.put(m.slot(), runner);
      if (drainReason != null) runner.tell(new AttemptRunner.Yield(drainReason));
    } else {
      getContext().getLog().debug("run {} declined slot {}: {}", m.runId(), m.slot(), ((LeaseDeclined) m.reply()).reason());
      release(m.slot());
    }
    return this;
  }

  private Behavior<Command> onLeaseAskFailed(LeaseAskFailed m) {
    if (m.tries() < OFFER_TRIES && drainReason == null) { // maybe granted: ask again for the same slot
      getContext().getLog().info("offering slot {} to run {} got no answer ({}); offering again", m.slot(), m.runId(), m.error());
      offer(m.runId(), m.slot(), m.tries() + 1);
      return this;
    }
    // Given up: if the run did grant it, its start deadline or lease timeout schedules the next
    // attempt. Here the slot is simply free again.
    getContext().getLog().warn("offering slot {} to run {} failed {} times: {}", m.slot(), m.runId(), m.tries(), m.error());
    release(m.slot());
    return this;
  }

  private Behavior<Command> onAttemptEnded(AttemptEnded m) {
    running.remove(m.slot());
    release(m.slot());
    answerDrainedWhenEmpty();
    return this;
  }

  private Behavior<Command> onDrain(Drain m) {
    drained.add(m.replyTo());
    if (drainReason == null) {
      drainReason = m.reason();
      getContext().getSystem().receptionist().tell(Receptionist.deregister(SERVICE_KEY, getContext().getSelf()));
      getContext().getLog().info("worker {} drains: handing back {} running attempt(s)", nodeId, running.size());
      running.values().forEach(r -> r.tell(new AttemptRunner.Yield(drainReason)));
    }
    answerDrainedWhenEmpty();
    return this;
  }

  /** Once draining: answer when no slot is taken (offers still out count as taken). */
  private void answerDrainedWhenEmpty() {
    if (drainReason == null || !busy.isEmpty()) return;
    drained.forEach(r -> r.tell(Done.getInstance()));
    drained.clear();
  }

  private void release(int slot) {
    busy.clear(slot);
    pullWhereIdle();
    answerDrainedWhenEmpty();
  }

  /** While a slot is free: a pull to every served queue that has none out. */
  private void pullWhereIdle() {
    if (drainReason != null || freeSlots() == 0) return;
    for (var q : List.copyOf(pulling.keySet())) if (pulling.get(q) == 0L) pull(q);
  }

  private void pull(String queue) {
    int free = freeSlots();
    if (drainReason != null || free == 0) return;
    long generation = ++generations;
    pulling.put(queue, generation);
    timers.cancel("pull-" + queue);
    getContext().ask(
        QueueEntity.Pulled.class,
        sharding.entityRefFor(QueueEntity.ENTITY_KEY, queue),
        pullTimeout,
        replyTo -> new QueueEntity.Pull(nodeId, free, replyTo),
        (pulled, err) -> pulled != null ? new PullAnswered(queue, generation, pulled)
            : new PullFailed(queue, generation, String.valueOf(err)));
  }

  private int freeSlots() {
    return settings.slots() - busy.cardinality();
  }

  private void offer(String runId, int slot, int tries) {
    getContext().ask(
        LeaseReply.class,
        sharding.entityRefFor(RunEntity.ENTITY_KEY, runId),
        settings.reportTimeout(),
        replyTo -> new OfferSlot(workerId(slot), replyTo),
        (reply, err) -> reply != null ? new LeaseAnswer(runId, slot, reply) : new LeaseAskFailed(runId, slot, tries, String.valueOf(err)));
  }

  private String workerId(int slot) {
    return nodeId + "/slot-" + slot;
  }
}
