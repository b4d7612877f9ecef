package dev.griot.node.cli;

import com.typesafe.config.ConfigFactory;
import dev.griot.grpc.v1.RunServiceClient;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.grpc.GrpcClientSettings;

/**
 * A gRPC client of a Griot node for the CLI. Its actor system is local and reads only the
 * modules' reference.conf, never the node's application.conf (no cluster, no ports).
 */
final class CliClient implements AutoCloseable {
  final ActorSystem<Void> system;
  final RunServiceClient runs;

  CliClient(String server) {
    int colon = server.lastIndexOf(':');
    if (colon <= 0) throw new IllegalArgumentException("--server must be host:port, got '" + server + "'");
    String host = server.substring(0, colon);
    int port = Integer.parseInt(server.substring(colon + 1));
    var config = ConfigFactory.parseString(
            "pekko.actor.provider = local\npekko.loglevel = WARNING\npekko.http.client.http2.log-frames = off")
        .withFallback(ConfigFactory.defaultReference());
    system = ActorSystem.create(Behaviors.empty(), "griot-cli", config);
    runs = RunServiceClient.create(GrpcClientSettings.connectToServiceAt(host, port, system).withTls(false), system);
  }

  @Override
  public void close() {
    runs.close();
    system.terminate();
  }
}
