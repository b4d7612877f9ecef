package dev.griot.agent.worker;

import dev.griot.agent.run.RunCommand.LeaseDeclined;
import dev.griot.agent.run.RunCommand.LeaseGranted;
import dev.griot.agent.run.RunCommand.LeaseReply;
import dev.griot.agent.run.RunCommand.OfferSlot;
import dev.griot.agent.run.RunEntity;
import dev.griot.persistence.CborSerializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * This node's harness slots. Runs that are queued announce themselves to every pool of the
 * cluster ({@link RunReady}, through a {@link WorkerDirectory}); while a slot is free the pool
 * offers it to the oldest waiting run, and a run that grants a lease gets an {@link AttemptRunner}
 * in that slot until the attempt ends. A run that leased another pool's slot declines the offer.
 *
 * <p>When the node shuts down, {@link Drain} takes the pool out of the directory and hands every
 * running attempt back to its run at a turn boundary ({@link AttemptRunner.Yield}), so the runs
 * go on elsewhere without a failed attempt; it answers once every slot is empty.
 *
 * <p>The waiting list is only memory: a run in state queued announces itself again after every
 * recovery, so nothing is lost when this node dies.
 */
public final class WorkerPool extends AbstractBehavior<WorkerPool.Command> {

  /** Messages of the pool. */
  public interface Command extends CborSerializable {}

  /** Every pool of the cluster, for the {@link WorkerDirectory}s that announce runs to them. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "griot-worker-pools");

  /** A run is queued and wants a slot. */
  public record RunReady(String runId, String queue) implements Command {}

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

  public static Behavior<Command> create(String nodeId, WorkerSettings settings, AttemptRunner.Factory runners) {
    return Behaviors.setup(ctx -> new WorkerPool(ctx, nodeId, settings, runners));
  }

  private final String nodeId;
  private final WorkerSettings settings;
  private final AttemptRunner.Factory runners;
  private final ClusterSharding sharding;
  private final BitSet busy;
  private final Deque<String> waiting = new ArrayDeque<>();
  private final Set<String> waitingIds = new HashSet<>();
  private final Map<Integer, ActorRef<AttemptRunner.Command>> running = new HashMap<>();
  private final List<ActorRef<Done>> drained = new ArrayList<>();
  private String drainReason;

  private WorkerPool(ActorContext<Command> ctx, String nodeId, WorkerSettings settings, AttemptRunner.Factory runners) {
    super(ctx);
    this.nodeId = nodeId;
    this.settings = settings;
    this.runners = runners;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.busy = new BitSet(settings.slots());
    ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
    ctx.getLog().info("worker {} has {} harness slots", nodeId, settings.slots());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RunReady.class, this::onRunReady)
        .onMessage(LeaseAnswer.class, this::onLeaseAnswer)
        .onMessage(LeaseAskFailed.class, this::onLeaseAskFailed)
        .onMessage(AttemptEnded.class, this::onAttemptEnded)
        .onMessage(Drain.class, this::onDrain)
        .build();
  }

  private Behavior<Command> onRunReady(RunReady m) {
    if (drainReason != null) return this; // other pools take it
    if (waitingIds.add(m.runId())) waiting.addLast(m.runId());
    dispatch();
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
      waiting.clear();
      waitingIds.clear();
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
    dispatch();
    answerDrainedWhenEmpty();
  }

  private void dispatch() {
    while (!waiting.isEmpty()) {
      int slot = busy.nextClearBit(0);
      if (slot >= settings.slots()) return;
      String runId = waiting.pollFirst();
      waitingIds.remove(runId);
      busy.set(slot);
      offer(runId, slot, 1);
    }
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
