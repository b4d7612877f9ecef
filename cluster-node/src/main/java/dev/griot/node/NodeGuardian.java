package dev.griot.node;

import dev.griot.agent.checkpoint.CheckpointSettings;
import dev.griot.agent.checkpoint.Checkpointer;
import dev.griot.agent.harness.HarnessRegistry;
import dev.griot.agent.queue.QueueEntity;
import dev.griot.agent.queue.QueueRelay;
import dev.griot.agent.queue.QueueSettings;
import dev.griot.agent.readside.CassandraRunSummaryStore;
import dev.griot.agent.run.RunEntity;
import dev.griot.agent.run.RunSettings;
import dev.griot.agent.worker.AttemptRunner;
import dev.griot.agent.worker.Checkpoints;
import dev.griot.agent.worker.WorkerPool;
import dev.griot.agent.worker.WorkerSettings;
import dev.griot.node.grpc.RunServiceImpl;
import dev.griot.persistence.blob.CassandraBlobStore;
import dev.griot.sandbox.OrphanReaper;
import dev.griot.sandbox.SandboxCatalog;
import dev.griot.sandbox.egress.EgressGateway;
import dev.griot.sandbox.ProcessSandboxSettings;
import dev.griot.sandbox.Sandboxes;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.grpc.javadsl.ServerReflection;
import org.apache.pekko.grpc.javadsl.ServiceHandler;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.stream.connectors.cassandra.CassandraSessionSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;

/**
 * The root of a node: joins the cluster, starts this node's worker slots and the sharded run
 * entity (on control nodes), the harness slots (on worker nodes), and serves the gRPC API.
 */
public final class NodeGuardian {

  private NodeGuardian() {}

  /** Why a node stopped right after it started: its gRPC port was not free. */
  public enum GrpcBindFailed implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  /** Messages of the guardian. */
  public interface Command {}

  /** The harnesses of this node's previous incarnation are gone and the sandbox is ready. */
  private record Prepared(SandboxCatalog sandboxes) implements Command {}

  /** The node cannot run harnesses here (no bubblewrap, cgroups it may not write, ...). */
  private record PreparationFailed(String reason) implements Command {}

  /** Why a node stopped right after it started: it cannot provide its sandbox. */
  public enum SandboxUnavailable implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  public static Behavior<Command> create(NodeSettings settings) {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> system = ctx.getSystem();
      Cluster cluster = Cluster.get(system);
      if (settings.selfJoin()) cluster.manager().tell(Join.create(cluster.selfMember().address()));

      Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("griot.blocking-dispatcher"));
      var config = system.settings().config();
      guardKeyspace(ctx, settings);
      var self = cluster.selfMember().address();
      // This node's address is bound now, so no other live node notes harnesses under it: what is
      // noted there was left by a crashed earlier incarnation, and ends before any new harness.
      var reaper = new OrphanReaper(
          settings.harnessNotes(self.getHost().orElse("local"), self.getPort().orElse(0)),
          ProcessSandboxSettings.fromConfig(config));
      boolean worker = cluster.selfMember().hasRole(NodeConfig.WORKER);
      // Files, processes and sockets: off the actor thread, before any harness can start.
      ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> {
            if (!worker) return null; // a control-only node runs no harness: no sandbox to prepare
            reapOrphans(system, reaper);
            // griot.sandbox.kind and .offered: fails, and so stops the node, when bubblewrap is missing
            return Sandboxes.catalogFromConfig(config, blocking, egressGateway(system, blocking), system);
          }, blocking),
          (sandbox, err) -> err == null ? new Prepared(sandbox) : new PreparationFailed(rootMessage(err)));
      return Behaviors.receive(Command.class)
          .onMessage(Prepared.class, m -> {
            startWorking(ctx.getSystem(), settings, blocking, reaper, m.sandboxes(), ctx);
            return Behaviors.<Command>empty();
          })
          .onMessage(PreparationFailed.class, m -> {
            ctx.getLog().error("this node cannot run harnesses: {}", m.reason());
            CoordinatedShutdown.get(system).run(SandboxUnavailable.INSTANCE);
            return Behaviors.<Command>empty();
          })
          .build();
    });
  }

  /** One cluster per keyspace ({@link KeyspaceGuard}), unless {@code griot.keyspace-lease.enabled} is off. */
  private static void guardKeyspace(org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx, NodeSettings settings) {
    var lease = KeyspaceGuard.Settings.fromConfig(ctx.getSystem().settings().config());
    if (!lease.enabled()) return;
    var session = CassandraSessionRegistry.get(ctx.getSystem())
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    ctx.spawn(KeyspaceGuard.create(
        new dev.griot.persistence.lease.KeyspaceLease(session.underlying(), settings.keyspace()), lease, settings.keyspace()),
        "keyspace-guard");
  }

  private static void reapOrphans(ActorSystem<Void> system, OrphanReaper reaper) {
    try {
      var killed = reaper.reapAll();
      if (!killed.isEmpty())
        system.log().warn("ended {} harness process(es) left running by this node's previous incarnation: {}", killed.size(), killed);
    } catch (RuntimeException e) {
      system.log().warn("could not end harnesses left by a previous run of this node: {}", e.toString());
    }
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) t = t.getCause();
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** The node's egress gateway, when routes are configured; closed with the node. */
  private static java.util.Optional<java.net.InetSocketAddress> egressGateway(ActorSystem<Void> system, Executor blocking) {
    var routes = EgressGateway.routesFromConfig(system.settings().config());
    if (routes.isEmpty()) return java.util.Optional.empty();
    try {
      var gateway = new EgressGateway(routes, blocking);
      CoordinatedShutdown.get(system).addJvmShutdownHook(gateway::close);
      system.getWhenTerminated().thenRun(gateway::close);
      system.log().info("egress gateway on {} for routes {}", gateway.address(),
          routes.stream().map(dev.griot.sandbox.egress.EgressRoute::name).toList());
      routes.stream().filter(r -> r.credential().isEmpty()).forEach(r -> system.log().warn(
          "egress route {} has no credential (credential-env unset?): requests go to {} without a key", r.name(), r.upstream()));
      return java.util.Optional.of(gateway.address());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot start the egress gateway", e);
    }
  }

  /**
   * Whether the node of a worker id ({@code <system>@<host>:<port>/slot-<n>}) is a member that
   * may still run harnesses (joining, up or leaving); false once it is down, exiting or gone.
   */
  static java.util.function.Predicate<String> workerNodeUp(Cluster cluster) {
    return workerId -> {
      int slash = workerId.lastIndexOf('/');
      String node = slash < 0 ? workerId : workerId.substring(0, slash);
      var members = cluster.state().getMembers();
      for (var m : members) {
        if (!m.address().hostPort().equals(node)) continue;
        var status = m.status();
        return status == org.apache.pekko.cluster.MemberStatus.up() || status == org.apache.pekko.cluster.MemberStatus.weaklyUp()
            || status == org.apache.pekko.cluster.MemberStatus.joining() || status == org.apache.pekko.cluster.MemberStatus.leaving();
      }
      var log = org.slf4j.LoggerFactory.getLogger(NodeGuardian.class);
      if (log.isDebugEnabled()) { // what this node sees, for a worker wrongly taken for gone
        StringBuilder seen = new StringBuilder();
        for (var m : members) seen.append(' ').append(m.address().hostPort()).append('=').append(m.status());
        log.debug("worker node {} is not among the members:{}", node, seen);
      }
      return false;
    };
  }

  /**
   * When the node shuts down, its worker hands the running attempts back at turn boundaries
   * before sharding stops, so their runs go on elsewhere without a failed attempt.
   */
  private static void drainOnShutdown(ActorSystem<Void> system, ActorRef<WorkerPool.Command> pool) {
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    Duration timeout = Duration.ofMillis(shutdown.timeout(CoordinatedShutdown.PhaseBeforeClusterShutdown()).toMillis());
    shutdown.addTask(CoordinatedShutdown.PhaseBeforeClusterShutdown(), "griot-hand-back-attempts", () ->
        AskPattern.<WorkerPool.Command, Done>ask(
            pool, replyTo -> new WorkerPool.Drain("node " + Cluster.get(system).selfMember().address().hostPort()
                + " is shutting down", replyTo), timeout, system.scheduler()));
  }

  private static void startWorking(
      ActorSystem<Void> system, NodeSettings settings, Executor blocking, OrphanReaper reaper, SandboxCatalog sandboxes,
      org.apache.pekko.actor.typed.javadsl.ActorContext<Command> ctx) {
    var config = system.settings().config();
    var session = CassandraSessionRegistry.get(system)
        .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
    var summaries = new CassandraRunSummaryStore(session.underlying(), settings.keyspace());

    var workerSettings = WorkerSettings.fromConfig(config, settings.home());
    var harnesses = HarnessRegistry.fromConfig(config);
    var checkpointSettings = CheckpointSettings.fromConfig(config);
    Optional<Checkpoints> checkpoints = checkpointSettings.enabled()
        ? Optional.of(new Checkpoints(
            new Checkpointer(new CassandraBlobStore(session.underlying(), settings.keyspace()), checkpointSettings),
            checkpointSettings, new JournalTurnHistory(system)))
        : Optional.empty();
    var runners = AttemptRunner.factory(harnesses, sandboxes, reaper, workerSettings, checkpoints, blocking);
    String nodeId = Cluster.get(system).selfMember().address().hostPort();
    // Queues on the control nodes, next to the runs; harness slots on worker nodes pull from them.
    var queueSettings = QueueSettings.fromConfig(config);
    QueueEntity.init(system, queueSettings, RunEntity.ROLE);
    if (sandboxes != null) {
      var pool = ctx.spawn(WorkerPool.create(nodeId, workerSettings, queueSettings.pullHold(), runners), "worker-pool");
      drainOnShutdown(system, pool);
    }
    var sharding = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(system);
    // What this node's runs tell their queues goes through the node's relay, which can tell it again.
    var relay = ctx.spawn(QueueRelay.create(queueSettings,
        (queue, batch) -> sharding.entityRefFor(QueueEntity.ENTITY_KEY, queue).tell(batch)), "queue-relay");

    RunSettings runSettings = RunSettings.fromConfig(config);
    RunEntity.init(system, runSettings, new RunEntity.Ports(relay, summaries, Clock.systemUTC(),
        () -> ThreadLocalRandom.current().nextDouble(), workerNodeUp(Cluster.get(system))));

    var service = new RunServiceImpl(system, settings, runSettings, queueSettings, harnesses, summaries);
    var handler = ServiceHandler.concatOrNotFound(
        dev.griot.grpc.v1.RunServiceHandlerFactory.partial(service, dev.griot.grpc.v1.RunService.name, system),
        ServerReflection.create(java.util.List.of(dev.griot.grpc.v1.RunService.description), system));
    Http.get(system)
        .newServerAt(settings.grpcHost(), settings.grpcPort())
        .bind(handler)
        .whenComplete((binding, err) -> {
          if (err != null) {
            system.log().error("gRPC could not bind {}:{}: {}", settings.grpcHost(), settings.grpcPort(), err.getMessage());
            CoordinatedShutdown.get(system).run(GrpcBindFailed.INSTANCE);
          } else {
            system.log().info("Griot node {} serving gRPC on {}:{}", nodeId, settings.grpcHost(), settings.grpcPort());
          }
        });
  }
}
