package dev.griot.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import dev.griot.persistence.CassandraSessions;
import dev.griot.persistence.PersistenceSettings;
import dev.griot.persistence.SchemaApplier;
import dev.griot.sandbox.OrphanReaper;
import dev.griot.sandbox.ProcessSandboxSettings;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Starts one Griot node: applies the schema when configured to (development), then the actor
 * system with the {@link NodeGuardian}. {@code main} runs a node from {@code application.conf}
 * and the environment; {@code griot up} and the tests call {@link #start(Config)}.
 */
public final class GriotNode {
  private GriotNode() {}

  public static ActorSystem<Void> start(Config config) {
    NodeSettings settings = NodeSettings.fromConfig(config);
    reapOrphans(config, settings);
    if (settings.applySchema()) applySchema(config);
    return ActorSystem.create(NodeGuardian.create(settings), "griot", config);
  }

  /** Ends the harnesses a crashed earlier incarnation of this node (same address) left running. */
  private static void reapOrphans(Config config, NodeSettings settings) {
    int port = config.getInt("pekko.remote.artery.canonical.port");
    if (port == 0) return; // a random address has no earlier incarnation
    String host = config.getString("pekko.remote.artery.canonical.hostname");
    var reaper = new OrphanReaper(settings.harnessNotes(host, port), ProcessSandboxSettings.fromConfig(config));
    var killed = reaper.reapAll();
    if (!killed.isEmpty())
      org.slf4j.LoggerFactory.getLogger(GriotNode.class)
          .warn("ended {} harness process(es) left running by this node's previous incarnation: {}", killed.size(), killed);
  }

  /** Creates the keyspace and tables when missing (idempotent). */
  public static void applySchema(Config config) {
    try (CqlSession session = CassandraSessions.create(config)) {
      SchemaApplier.apply(session, PersistenceSettings.fromConfig(config));
    }
  }

  /**
   * Blocks until the node's actor system has terminated and returns the process exit code: 0
   * when it was asked to stop (Ctrl-C, SIGTERM), 1 when it stopped on its own (its gRPC port was
   * taken, the cluster downed it).
   */
  public static int awaitTermination(ActorSystem<Void> system) {
    system.getWhenTerminated().toCompletableFuture().join();
    var reason = org.apache.pekko.actor.CoordinatedShutdown.get(system).getShutdownReason();
    boolean asked = reason.isPresent() && reason.get() == org.apache.pekko.actor.CoordinatedShutdown.jvmExitReason();
    return asked ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(awaitTermination(start(NodeConfig.load())));
  }
}
