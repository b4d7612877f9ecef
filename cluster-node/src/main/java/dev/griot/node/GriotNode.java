package dev.griot.node;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.Config;
import dev.griot.persistence.CassandraSessions;
import dev.griot.persistence.PersistenceSettings;
import dev.griot.persistence.SchemaApplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Starts one Griot node: applies the schema when configured to (development), then the actor
 * system with the {@link NodeGuardian}. {@code main} runs a node from {@code application.conf}
 * and the environment; {@code griot up} and the tests call {@link #start(Config)}.
 */
public final class GriotNode {
  private GriotNode() {}

  public static ActorSystem<NodeGuardian.Command> start(Config config) {
    NodeSettings settings = NodeSettings.fromConfig(config);
    requireFreePort(settings.grpcHost(), settings.grpcPort());
    if (settings.applySchema()) applySchema(config);
    return ActorSystem.create(NodeGuardian.create(settings), "griot", config);
  }

  /**
   * Refuses to start a second node where one already serves: before anything else (the orphan
   * reaper of a node must never run beside a live node of the same address).
   */
  private static void requireFreePort(String host, int port) {
    try (var socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(host, port));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(
          "gRPC port " + host + ":" + port + " is in use (is a Griot node already running here?): " + e.getMessage(), e);
    }
  }

  /** Creates the keyspace and tables when missing (idempotent). */
  public static void applySchema(Config config) {
    try (CqlSession session = CassandraSessions.create(config)) {
      SchemaApplier.apply(session, PersistenceSettings.fromConfig(config));
    }
  }

  /**
   * Blocks until the node's actor system has terminated and returns the process exit code: 1
   * when it stopped on its own (its gRPC port was taken, the cluster downed it), 0 otherwise.
   * A node ended by a signal exits as the JVM does on that signal (130 for Ctrl-C, 143 for
   * SIGTERM): once the JVM is shutting down, no exit code can be chosen.
   */
  public static int awaitTermination(ActorSystem<?> system) {
    system.getWhenTerminated().toCompletableFuture().join();
    var reason = org.apache.pekko.actor.CoordinatedShutdown.get(system).getShutdownReason();
    boolean asked = reason.isPresent() && reason.get() == org.apache.pekko.actor.CoordinatedShutdown.jvmExitReason();
    return asked ? 0 : 1;
  }

  public static void main(String[] args) {
    System.exit(awaitTermination(start(NodeConfig.load())));
  }
}
