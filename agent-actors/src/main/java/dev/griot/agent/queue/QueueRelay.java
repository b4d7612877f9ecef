package dev.griot.agent.queue;

import dev.griot.agent.queue.QueueEntity.Track;
import dev.griot.agent.queue.QueueEntity.TrackBatch;
import dev.griot.persistence.CborSerializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One per node: what the run entities of this node have told their queues, kept so it can be
 * told again. A run tells its relay (a local message) when it starts or stops waiting or
 * holding an attempt; the relay forwards that to the queue entity at once, coalescing what
 * arrives together into one {@link TrackBatch} per queue. When a queue entity starts (first use,
 * or again on another node after its node died) it asks every relay of the cluster to
 * {@link Resend}, and the relay sends it the whole state of this node's runs in one batch; it
 * does the same for every queue every {@code griot.queue.refresh-interval}, in case a message
 * was lost. So a queue rebuilds its index from a few messages, not from every run.
 *
 * <p>A run entity that stops on this node (it moves to another node, or the node shuts down)
 * tells the relay to {@link Forget} it, without a word to the queue: the run tells the relay of
 * its new node once it has recovered there.
 */
public final class QueueRelay extends AbstractBehavior<QueueRelay.Command> {

  /** Messages of the relay. */
  public interface Command {}

  /** Every relay of the cluster, for the queue entities that ask them to resend. */
  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "griot-queue-relays");

  /** The run's entity stopped on this node: drop what it said, and tell its queue nothing. */
  public record Forget(String runId) implements Command {}

  /** Queue {@code queue} has (re)started: send it what this node's runs told it. */
  public record Resend(String queue) implements Command, CborSerializable {}

  private enum Flush implements Command {
    INSTANCE
  }

  private enum Refresh implements Command {
    INSTANCE
  }

  /**
   * A relay that hands each batch to {@code toQueue} (on a node: a tell through sharding to the
   * queue entity named by the batch).
   */
  public static Behavior<Command> create(QueueSettings settings, BiConsumer<String, TrackBatch> toQueue) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new QueueRelay(ctx, timers, settings, toQueue)));
  }

  /** Tracks per batch: about 100 bytes each, so a batch stays far below Artery's 256 KiB frame. */
  static final int MAX_BATCH = 500;

  private final BiConsumer<String, TrackBatch> toQueue;
  /** Per queue, the last word of every run of this node that waits or holds an attempt. */
  private final Map<String, Map<String, Track>> runs = new HashMap<>();
  /** What arrived since the last flush, per queue, in order. */
  private final Map<String, List<Track>> pending = new LinkedHashMap<>();
  private final Map<String, String> queueOfRun = new HashMap<>();
  private boolean flushScheduled;

  private QueueRelay(
      ActorContext<Command> ctx, TimerScheduler<Command> timers, QueueSettings settings, BiConsumer<String, TrackBatch> toQueue) {
    super(ctx);
    this.toQueue = toQueue;
    timers.startTimerWithFixedDelay(Refresh.INSTANCE, settings.refreshInterval());
    ctx.getSystem().receptionist().tell(Receptionist.register(SERVICE_KEY, ctx.getSelf()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Track.class, this::onTrack)
        .onMessage(Forget.class, this::onForget)
        .onMessage(Flush.class, m -> flush())
        .onMessage(Resend.class, m -> {
          resend(m.queue());
          return this;
        })
        .onMessage(Refresh.class, m -> {
          List.copyOf(runs.keySet()).forEach(this::resend);
          return this;
        })
        .build();
  }

  private Behavior<Command> onTrack(Track t) {
    String before = queueOfRun.get(t.runId());
    if (before != null && !before.equals(t.queue())) runs.get(before).remove(t.runId()); // a spec never changes queue; be safe
    Map<String, Track> ofQueue = runs.computeIfAbsent(t.queue(), q -> new HashMap<>());
    if (t.phase() == QueueEntity.Phase.GONE) {
      ofQueue.remove(t.runId());
      queueOfRun.remove(t.runId());
    } else {
      ofQueue.put(t.runId(), t);
      queueOfRun.put(t.runId(), t.queue());
    }
    pending.computeIfAbsent(t.queue(), q -> new ArrayList<>()).add(t);
    // Everything already in the mailbox goes out in the same batch: the flush queues up behind it.
    if (!flushScheduled) {
      flushScheduled = true;
      getContext().getSelf().tell(Flush.INSTANCE);
    }
    return this;
  }

  private Behavior<Command> onForget(Forget f) {
    String queue = queueOfRun.remove(f.runId());
    if (queue != null) runs.get(queue).remove(f.runId());
    return this;
  }

  private Behavior<Command> flush() {
    flushScheduled = false;
    pending.forEach(this::send);
    pending.clear();
    return this;
  }

  private void resend(String queue) {
    Map<String, Track> ofQueue = runs.get(queue);
    if (ofQueue != null && !ofQueue.isEmpty()) send(queue, List.copyOf(ofQueue.values()));
  }

  /** In batches of at most {@link #MAX_BATCH}, well within a remote message's largest frame. */
  private void send(String queue, List<Track> tracks) {
    for (int from = 0; from < tracks.size(); from += MAX_BATCH)
      toQueue.accept(queue, new TrackBatch(queue, List.copyOf(tracks.subList(from, Math.min(tracks.size(), from + MAX_BATCH)))));
  }
}
