package dev.griot.node;

import com.typesafe.config.Config;
import dev.griot.persistence.lease.KeyspaceLease;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * One Griot cluster per keyspace. Two clusters on one keyspace (a restarted seed that formed a
 * cluster of its own, two deployments given the same keyspace) would run the same runs twice and
 * write one journal from two places. The leader of each cluster holds, or tries to hold, the
 * keyspace's lease row ({@link KeyspaceLease}), renewing it every {@code renew-interval}:
 *
 * <ul>
 *   <li>no row (none yet, or it expired): take it;
 *   <li>held by a member this node has seen in its own cluster (an earlier leader): take it over;
 *   <li>held by anyone else: wait; if the row expires, take it; if that holder <em>renews</em> it,
 *       another live cluster works on the keyspace, and this one, which does not hold the lease,
 *       downs all its members and stops.
 * </ul>
 *
 * A cluster started right after its predecessor died so waits at most {@code ttl} for the lease,
 * working meanwhile: only a holder seen renewing stops a cluster.
 */
final class KeyspaceGuard {

  /** Why a node stopped: another cluster holds its keyspace. */
  enum KeyspaceTaken implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record Seen(Member member) implements Command {}

  private record Answer(KeyspaceLease.Outcome outcome, Throwable error) implements Command {}

  /** The lease's settings ({@code griot.keyspace-lease}). */
  record Settings(boolean enabled, Duration renewInterval, Duration ttl) {
    static Settings fromConfig(Config config) {
      Config c = config.getConfig("griot.keyspace-lease");
      return new Settings(c.getBoolean("enabled"), c.getDuration("renew-interval"), c.getDuration("ttl"));
    }
  }

  private final ActorContext<Command> ctx;
  private final KeyspaceLease lease;
  private final Settings settings;
  private final String keyspace;
  private final Cluster cluster;
  private final String me;
  /** Every member (unique address) this node has seen in its cluster, itself included. */
  private final Set<String> seen = new HashSet<>();
  private Optional<KeyspaceLease.Row> row = Optional.empty();
  /** A holder outside this cluster, as first seen: if it renews, another cluster is alive. */
  private Optional<KeyspaceLease.Row> foreign = Optional.empty();
  private boolean inFlight;
  private boolean holding;
  /** A failed lease request was logged as a warning; later ones (until one succeeds) at debug. */
  private boolean warned;

  static Behavior<Command> create(KeyspaceLease lease, Settings settings, String keyspace) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, settings.renewInterval());
      return new KeyspaceGuard(ctx, lease, settings, keyspace).behavior();
    }));
  }

  private KeyspaceGuard(ActorContext<Command> ctx, KeyspaceLease lease, Settings settings, String keyspace) {
    this.ctx = ctx;
    ctx.setLoggerName(KeyspaceGuard.class);
    this.lease = lease;
    this.settings = settings;
    this.keyspace = keyspace;
    this.cluster = Cluster.get(ctx.getSystem());
    this.me = id(cluster.selfMember());
    seen.add(me);
    ActorRef<ClusterEvent.MemberEvent> members = ctx.messageAdapter(ClusterEvent.MemberEvent.class, e -> new Seen(e.member()));
    cluster.subscriptions().tell(Subscribe.create(members, ClusterEvent.MemberEvent.class));
  }

  private static String id(Member m) {
    return m.uniqueAddress().address() + "#" + m.uniqueAddress().longUid();
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Seen.class, m -> {
          seen.add(id(m.member()));
          return Behaviors.same();
        })
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(Answer.class, this::onAnswer)
        .build();
  }

  private Behavior<Command> onTick() {
    boolean leader = cluster.state().getLeader() != null && cluster.state().getLeader().equals(cluster.selfMember().address());
    if (!leader) holding = false;
    if (!leader || inFlight) return Behaviors.same();
    inFlight = true;
    var write = row.isPresent() && seen.contains(row.get().holder())
        ? lease.renew(me, row.get(), settings.ttl())
        : lease.acquire(me, settings.ttl());
    ctx.pipeToSelf(write, Answer::new);
    return Behaviors.same();
  }

  private Behavior<Command> onAnswer(Answer m) {
    inFlight = false;
    if (m.error() != null) { // Cassandra busy or away; or no cluster_lease table (an old schema)
      if (!warned) ctx.getLog().warn("cannot read or write the lease of keyspace {} (retrying every {} s): {}",
          keyspace, settings.renewInterval().toSeconds(), m.error().toString());
      else ctx.getLog().debug("keyspace lease of {}: {}", keyspace, m.error().toString());
      warned = true;
      return Behaviors.same();
    }
    warned = false;
    row = m.outcome().row();
    if (m.outcome().applied()) {
      if (!holding) ctx.getLog().info("this cluster holds the lease of keyspace {} (leader {})", keyspace, me);
      holding = true;
      foreign = Optional.empty();
      return Behaviors.same();
    }
    holding = false;
    if (row.isEmpty() || seen.contains(row.get().holder())) return Behaviors.same(); // taken on the next tick
    KeyspaceLease.Row other = row.get();
    if (foreign.isPresent() && foreign.get().holder().equals(other.holder()) && other.renewals() > foreign.get().renewals())
      return stopThisCluster(other);
    if (foreign.isEmpty() || !foreign.get().holder().equals(other.holder()))
      ctx.getLog().warn("the lease of keyspace {} is held by {}, which is not a member of this cluster: waiting for it to "
          + "expire (at most {} s); if it is renewed, another cluster works on this keyspace and this one stops",
          keyspace, other.holder(), settings.ttl().toSeconds());
    foreign = Optional.of(other);
    return Behaviors.same();
  }

  private Behavior<Command> stopThisCluster(KeyspaceLease.Row other) {
    ctx.getLog().error("another Griot cluster works on keyspace {}: its leader {} renews the keyspace lease. This cluster "
        + "(members: {}) is the second one and stops: its members are downed. Give each cluster its own keyspace "
        + "(griot.persistence.keyspace), or restart these nodes with that cluster's seed nodes.",
        keyspace, other.holder(), cluster.state().members().size());
    for (Member member : cluster.state().getMembers())
      if (!member.address().equals(cluster.selfMember().address())) cluster.manager().tell(new Down(member.address()));
    CoordinatedShutdown.get(ctx.getSystem()).run(KeyspaceTaken.INSTANCE);
    return Behaviors.stopped();
  }
}
