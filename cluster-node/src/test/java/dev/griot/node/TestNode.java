package dev.griot.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.griot.persistence.testkit.TestCassandra;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorSystem;

/** A real Griot node inside the test JVM, on the shared Cassandra and its own fresh keyspace. */
final class TestNode implements AutoCloseable {
  final ActorSystem<?> system;
  final int grpcPort;
  final String keyspace;

  private TestNode(ActorSystem<?> system, int grpcPort, String keyspace) {
    this.system = system;
    this.grpcPort = grpcPort;
    this.keyspace = keyspace;
  }

  static TestNode start(String keyspacePrefix, Map<String, Object> extra) throws IOException {
    return startIn(TestCassandra.freshKeyspace(keyspacePrefix), extra);
  }

  /** A node on an existing keyspace (a node started again after another stopped). */
  static TestNode startIn(String keyspace, Map<String, Object> extra) throws IOException {
    int port = freePort();
    Map<String, Object> settings = new HashMap<>(extra);
    settings.put("griot.node.grpc-port", port);
    settings.put("griot.node.apply-schema", false);
    settings.put("griot.node.home", Files.createTempDirectory("griot-node").toString());
    settings.put("pekko.remote.artery.canonical.port", 0);
    settings.put("pekko.coordinated-shutdown.exit-jvm", "off");
    Config overrides = ConfigFactory.parseMap(settings).withFallback(TestCassandra.config(keyspace));
    return new TestNode(GriotNode.start(NodeConfig.load(overrides)), port, keyspace);
  }

  /** The folder where this node notes the harness processes it runs (see OrphanReaper). */
  java.nio.file.Path harnessNotes() {
    var self = org.apache.pekko.cluster.Cluster.get(system.classicSystem()).selfAddress();
    return NodeSettings.fromConfig(system.settings().config())
        .harnessNotes(self.getHost().orElse("local"), self.getPort().orElse(0));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private GrpcTestClient client;

  /** A gRPC client of this node, once the node answers; closed with the node. */
  synchronized GrpcTestClient client() {
    if (client == null) {
      client = new GrpcTestClient(grpcPort);
      client.awaitReady();
    }
    return client;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (client != null) client.close();
    }
    system.terminate();
    system.getWhenTerminated().toCompletableFuture().join();
  }
}
