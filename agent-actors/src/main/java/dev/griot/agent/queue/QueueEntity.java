package dev.griot.agent.queue;

import dev.griot.agent.worker.WorkerPool;
import dev.griot.persistence.CborSerializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One queue of the cluster, sharded by name: the index of its runs that wait for a slot, and the
 * matchmaker between them and the worker pools that pull from it.
 *
 * <p>Its state is soft: every run is durable in its own entity and tells its queue where it
 * stands ({@link Track}) when that changes, through the {@link QueueRelay} of its node. A queue
 * that starts (first use, or again on another node after its node died) asks every relay to
 * resend what its runs said, so it rebuilds its index from one batch per node, and nothing is
 * journaled twice.
 *
 * <p>A worker pool with free slots sends a {@link Pull}; the queue answers at once with runs,
 * highest priority first and oldest first within a priority, or holds the pull until runs arrive
 * (at most {@code pull-hold}). The pool then offers its slot to the run through sharding, and the
 * run, not the queue, grants the fenced lease: a run handed out twice is leased once.
 *
 * <p>{@code max-concurrency} counts the runs holding an attempt plus those handed out and not yet
 * leased; {@code max-depth} is read by the gRPC edge at submit (RESOURCE_EXHAUSTED when full).
 */
public final class QueueEntity extends AbstractBehavior<QueueEntity.Command> {

  public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "Queue");

  /** Messages of a queue. */
  public interface Command extends CborSerializable {}

  /** Where a run stands, as far as its queue cares. */
  public enum Phase {
    /** Queued: wants a slot. */
    WAITING,
    /** Holds an attempt (assigned, running, waiting for input): counts against max-concurrency. */
    ACTIVE,
    /** Neither: finished, waiting for a retry, dead-lettered, cancelled. */
    GONE
  }

  /**
   * A run tells its queue where it stands (through its node's relay). {@code priority}: 1 is
   * served first, 5 last.
   */
  public record Track(String queue, String runId, Phase phase, int priority, Instant submittedAt)
      implements Command, QueueRelay.Command {}

  /** Tracks of one node's runs, in the order they were told. */
  public record TrackBatch(String queue, List<Track> tracks) implements Command {}

  /** A worker pool ({@code pool}, its node) has {@code slots} free slots; answered with runs to offer them to. */
  public record Pull(String pool, int slots, ActorRef<Pulled> replyTo) implements Command {}

  /** The answer to a pull: runs to offer a slot to (empty when the pull was held to its end). */
  public record Pulled(String queue, List<String> runIds) implements CborSerializable {}

  /** A pool got more runs than it had free slots: they go back to the queue at their place. */
  public record Unclaimed(List<String> runIds) implements Command {}

  /** What the queue holds now. */
  public record Get(ActorRef<QueueView> replyTo) implements Command {}

  /**
   * A queue at one moment: runs waiting, handed to a worker and not yet leased ({@code offered}),
   * holding an attempt ({@code active}); pools with a pull held; the queue's limits (0: none);
   * {@code warm} is false for a few seconds after the queue entity started, while it is still
   * learning its runs.
   */
  public record QueueView(
      String name, int waiting, int offered, int active, int pullingPools, int maxConcurrency, int maxDepth, boolean warm)
      implements CborSerializable {}

  private record PoolsListed(Set<ActorRef<WorkerPool.Command>> pools) implements Command {}

  private record RelaysListed(Set<ActorRef<QueueRelay.Command>> relays) implements Command {}

  /**
   * The node of pool {@code pool} ({@code host:port}) cannot be reached ({@code left} false) or
   * has left the cluster ({@code left} true): its held pull is dropped, and once it has left, the
   * runs handed to it go back in line (if one of them was leased, the run declines the next offer
   * and fails its attempt as its worker's node is gone).
   */
  record PoolNodeLost(String pool, boolean left) implements Command {}

  private enum Sweep implements Command {
    INSTANCE
  }

  private enum WarmedUp implements Command {
    INSTANCE
  }

  /** Registers the sharded queue entity on the nodes that host runs. */
  public static void init(ActorSystem<?> system, QueueSettings settings, String role) {
    ClusterSharding.get(system).init(
        Entity.of(ENTITY_KEY, ctx -> Behaviors.<Command>setup(c -> {
          watchMembers(c);
          return create(ctx.getEntityId(), settings);
        })).withRole(role));
  }

  /** A queue that is not told of lost nodes (tests of one entity; {@link #init} watches members). */
  public static Behavior<Command> create(String name, QueueSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new QueueEntity(ctx, timers, name, settings)));
  }

  /** Tells the queue of nodes that become unreachable or leave, as {@link PoolNodeLost}. */
  private static void watchMembers(ActorContext<Command> ctx) {
    ActorRef<ClusterEvent.ClusterDomainEvent> events = ctx.messageAdapter(ClusterEvent.ClusterDomainEvent.class, e -> {
      if (e instanceof ClusterEvent.UnreachableMember u) return new PoolNodeLost(u.member().address().hostPort(), false);
      if (e instanceof ClusterEvent.MemberDowned d) return new PoolNodeLost(d.member().address().hostPort(), true);
      if (e instanceof ClusterEvent.MemberRemoved r) return new PoolNodeLost(r.member().address().hostPort(), true);
      return new PoolNodeLost("", false); // not subscribed to anything else
    });
    var subscriptions = Cluster.get(ctx.getSystem()).subscriptions();
    subscriptions.tell(Subscribe.create(events.<ClusterEvent.UnreachableMember>narrow(), ClusterEvent.UnreachableMember.class));
    subscriptions.tell(Subscribe.create(events.<ClusterEvent.MemberDowned>narrow(), ClusterEvent.MemberDowned.class));
    subscriptions.tell(Subscribe.create(events.<ClusterEvent.MemberRemoved>narrow(), ClusterEvent.MemberRemoved.class));
  }

  private record Entry(String runId, int priority, Instant submittedAt) {}

  private static final Comparator<Entry> ORDER = Comparator.comparingInt(Entry::priority)
      .thenComparing(Entry::submittedAt)
      .thenComparing(Entry::runId);

  private record HeldPull(int slots, ActorRef<Pulled> replyTo, long since) {}

  private record HandOut(Entry entry, String pool, long at) {}

  private final String name;
  private final QueueSettings settings;
  private final QueueSettings.Limits limits;
  private final TreeSet<Entry> waiting = new TreeSet<>(ORDER);
  private final Map<String, Entry> waitingById = new HashMap<>();
  /** When the queue last heard of each waiting or active run. */
  private final Map<String, Long> seen = new HashMap<>();
  private final Map<String, HandOut> offered = new HashMap<>();
  /** Runs holding an attempt. */
  private final Set<String> active = new HashSet<>();
  private final LinkedHashMap<String, HeldPull> pulls = new LinkedHashMap<>();
  private Set<ActorRef<WorkerPool.Command>> knownPools = Set.of();
  private Set<ActorRef<QueueRelay.Command>> knownRelays = Set.of();
  private boolean warm;

  private QueueEntity(ActorContext<Command> ctx, TimerScheduler<Command> timers, String name, QueueSettings settings) {
    super(ctx);
    this.name = name;
    this.settings = settings;
    this.limits = settings.limits(name);
    this.warm = limits.maxConcurrency() == 0; // without a limit there is nothing to learn first
    if (!warm) timers.startSingleTimer(WarmedUp.INSTANCE, settings.warmUp());
    timers.startTimerWithFixedDelay(Sweep.INSTANCE, Duration.ofSeconds(1));
    // one adapter per message class: the listings of both keys come through it
    ActorRef<Receptionist.Listing> listings = ctx.messageAdapter(Receptionist.Listing.class,
        l -> l.isForKey(WorkerPool.SERVICE_KEY)
            ? new PoolsListed(l.getServiceInstances(WorkerPool.SERVICE_KEY))
            : new RelaysListed(l.getServiceInstances(QueueRelay.SERVICE_KEY)));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(WorkerPool.SERVICE_KEY, listings));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(QueueRelay.SERVICE_KEY, listings));
    ctx.getLog().info("queue {} started on this node (max-concurrency {}, max-depth {})",
        name, limits.maxConcurrency(), limits.maxDepth());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Track.class, t -> {
          apply(t);
          return dispatch();
        })
        .onMessage(TrackBatch.class, b -> {
          b.tracks().forEach(this::apply);
          return dispatch();
        })
        .onMessage(Pull.class, this::onPull)
        .onMessage(Unclaimed.class, this::onUnclaimed)
        .onMessage(Get.class, this::onGet)
        .onMessage(PoolsListed.class, this::onPoolsListed)
        .onMessage(RelaysListed.class, this::onRelaysListed)
        .onMessage(PoolNodeLost.class, this::onPoolNodeLost)
        .onMessage(Sweep.class, m -> sweep())
        .onMessage(WarmedUp.class, m -> {
          warm = true;
          return dispatch();
        })
        .build();
  }

  private void apply(Track t) {
    long now = System.nanoTime();
    String id = t.runId();
    switch (t.phase()) {
      case WAITING -> {
        active.remove(id);
        seen.put(id, now);
        HandOut out = offered.get(id);
        if (out != null && now - out.at() < settings.handOutTimeout().toNanos()) return; // its offer is under way
        offered.remove(id);
        waitingById.computeIfAbsent(id, k -> {
          Entry created = new Entry(id, t.priority(), t.submittedAt());
          waiting.add(created);
          return created;
        });
      }
      case ACTIVE -> {
        removeWaiting(id);
        offered.remove(id);
        active.add(id);
        seen.put(id, now);
      }
      case GONE -> {
        removeWaiting(id);
        offered.remove(id);
        active.remove(id);
        seen.remove(id);
      }
    }
  }

  private Behavior<Command> onPull(Pull p) {
    pulls.remove(p.pool()); // a pool's newer pull replaces its older one, at the back of the line
    if (p.slots() > 0) pulls.put(p.pool(), new HeldPull(p.slots(), p.replyTo(), System.nanoTime()));
    else p.replyTo().tell(new Pulled(name, List.of()));
    return dispatch();
  }

  private Behavior<Command> onUnclaimed(Unclaimed u) {
    return putBack(u.runIds());
  }

  /** Runs handed out and not taken go back in line, at their place. */
  private Behavior<Command> putBack(List<String> runIds) {
    long now = System.nanoTime();
    for (String id : runIds) {
      HandOut out = offered.remove(id);
      if (out == null || waitingById.containsKey(id)) continue;
      waiting.add(out.entry());
      waitingById.put(id, out.entry());
      seen.put(id, now);
    }
    return dispatch();
  }

  private Behavior<Command> onGet(Get g) {
    g.replyTo().tell(new QueueView(
        name, waiting.size(), offered.size(), active.size(), pulls.size(), limits.maxConcurrency(), limits.maxDepth(), warm));
    return this;
  }

  /** A pool that was not listed before learns that this queue exists, and pulls from it. */
  private Behavior<Command> onPoolsListed(PoolsListed l) {
    for (var pool : l.pools()) if (!knownPools.contains(pool)) pool.tell(new WorkerPool.QueueOpened(name));
    knownPools = new HashSet<>(l.pools());
    return this;
  }

  /** A relay that was not listed before resends what its node's runs told this queue. */
  private Behavior<Command> onRelaysListed(RelaysListed l) {
    for (var relay : l.relays()) if (!knownRelays.contains(relay)) relay.tell(new QueueRelay.Resend(name));
    knownRelays = new HashSet<>(l.relays());
    return this;
  }

  private Behavior<Command> onPoolNodeLost(PoolNodeLost m) {
    if (pulls.remove(m.pool()) != null)
      getContext().getLog().info("queue {}: dropped the pull of {}, whose node {}", name, m.pool(), m.left() ? "left" : "is unreachable");
    if (!m.left()) return this;
    List<String> back = new ArrayList<>();
    offered.forEach((id, out) -> {
      if (out.pool().equals(m.pool())) back.add(id);
    });
    return putBack(back);
  }

  /** Answers pulls held to their end, and forgets what was not heard of for too long. */
  private Behavior<Command> sweep() {
    long now = System.nanoTime();
    var held = pulls.entrySet().iterator();
    while (held.hasNext()) {
      HeldPull p = held.next().getValue();
      if (now - p.since() < settings.pullHold().toNanos()) continue;
      p.replyTo().tell(new Pulled(name, List.of()));
      held.remove();
    }
    // An offer that never became a lease (its pool's node died before it offered): back in line.
    List<String> expired = new ArrayList<>();
    offered.forEach((id, o) -> {
      if (now - o.at() >= settings.handOutTimeout().toNanos()) expired.add(id);
    });
    putBack(expired);
    List<String> stale = new ArrayList<>();
    seen.forEach((id, at) -> {
      if (now - at >= settings.staleAfter().toNanos()) stale.add(id);
    });
    for (String id : stale) { // no node's relay has told of it for three refreshes
      removeWaiting(id);
      active.remove(id);
      seen.remove(id);
    }
    return dispatch();
  }

  /**
   * Hands waiting runs to held pulls, one run per pull in turn so runs spread over the pools,
   * within max-concurrency; every pull that got runs is answered.
   */
  private Behavior<Command> dispatch() {
    if (pulls.isEmpty() || waiting.isEmpty() || !warm) return this;
    int room = limits.maxConcurrency() == 0 ? Integer.MAX_VALUE : limits.maxConcurrency() - active.size() - offered.size();
    Map<String, List<String>> given = new LinkedHashMap<>();
    boolean handed = true;
    long now = System.nanoTime();
    while (handed && room > 0 && !waiting.isEmpty()) {
      handed = false;
      for (var p : pulls.entrySet()) {
        List<String> runs = given.computeIfAbsent(p.getKey(), k -> new ArrayList<>());
        if (runs.size() >= p.getValue().slots() || room == 0 || waiting.isEmpty()) continue;
        Entry e = waiting.pollFirst();
        waitingById.remove(e.runId());
        offered.put(e.runId(), new HandOut(e, p.getKey(), now));
        runs.add(e.runId());
        room--;
        handed = true;
      }
    }
    given.forEach((pool, runs) -> {
      if (runs.isEmpty()) return;
      pulls.remove(pool).replyTo().tell(new Pulled(name, runs));
    });
    return this;
  }

  private void removeWaiting(String runId) {
    Entry e = waitingById.remove(runId);
    if (e != null) waiting.remove(e);
  }
}
