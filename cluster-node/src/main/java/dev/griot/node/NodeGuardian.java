package dev.griot.node;

import dev.griot.agent.harness.HarnessRegistry;
import dev.griot.agent.readside.CassandraRunSummaryStore;
import dev.griot.agent.run.RunEntity;
import dev.griot.agent.run.RunSettings;
import dev.griot.agent.worker.AttemptRunner;
import dev.griot.agent.worker.WorkerPool;
import dev.griot.agent.worker.WorkerSettings;
import dev.griot.node.grpc.RunServiceImpl;
import dev.griot.sandbox.OrphanReaper;
import dev.griot.sandbox.ProcessSandbox;
import dev.griot.sandbox.ProcessSandboxSettings;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
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
 * entity, and serves the gRPC API. Both roles (control and worker) live here for now.
 */
public final class NodeGuardian {

  private NodeGuardian() {}

  /** Why a node stopped right after it started: its gRPC port was not free. */
  public enum GrpcBindFailed implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  public static Behavior<Void> create(NodeSettings settings) {
    return Behaviors.setup(ctx -> {
      ActorSystem<Void> system = ctx.getSystem();
      Cluster cluster = Cluster.get(system);
      if (settings.selfJoin()) cluster.manager().tell(Join.create(cluster.selfMember().address()));

      Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("griot.blocking-dispatcher"));
      var session = CassandraSessionRegistry.get(system)
          .sessionFor(CassandraSessionSettings.create("pekko.persistence.cassandra"));
      var summaries = new CassandraRunSummaryStore(session.underlying(), settings.keyspace());

      var workerSettings = WorkerSettings.fromConfig(system.settings().config(), settings.home());
      var harnesses = HarnessRegistry.standard();
      var sandboxSettings = ProcessSandboxSettings.fromConfig(system.settings().config());
      var self = cluster.selfMember().address();
      var reaper = new OrphanReaper(settings.harnessNotes(self.getHost().orElse("local"), self.getPort().orElse(0)), sandboxSettings);
      var runners = AttemptRunner.factory(harnesses, new ProcessSandbox(sandboxSettings, blocking), reaper, workerSettings, blocking);
      String nodeId = self.hostPort();
      var pool = ctx.spawn(WorkerPool.create(nodeId, workerSettings, runners), "worker-pool");

      RunSettings runSettings = RunSettings.fromConfig(system.settings().config());
      RunEntity.init(system, runSettings, new RunEntity.Ports(pool, summaries, Clock.systemUTC(),
          () -> ThreadLocalRandom.current().nextDouble()));

      var service = new RunServiceImpl(system, settings, runSettings, harnesses, summaries);
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
      return Behaviors.empty();
    });
  }
}
