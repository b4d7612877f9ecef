package dev.griot.node.cli;

import com.typesafe.config.ConfigFactory;
import dev.griot.deploy.cassandra.CassandraLauncher;
import dev.griot.node.GriotNode;
import dev.griot.node.NodeConfig;
import dev.griot.node.NodeSettings;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    mixinStandardHelpOptions = true,
    name = "up",
    description = {
      "Start Griot on this machine: a local Cassandra (started when none answers), the schema, and one node",
      "holding both roles. Runs in the foreground until Ctrl-C."
    })
final class UpCommand implements Callable<Integer> {

  @Option(names = "--demo", description = "Submit a scripted demo run and watch it to completion.")
  boolean demo;

  @Option(names = "--grpc-port", description = "Port of the gRPC API (default ${DEFAULT-VALUE}).", defaultValue = "50051")
  int grpcPort;

  @Override
  public Integer call() throws Exception {
    var launcher = CassandraLauncher.fromSystemProperties();
    System.out.println("cassandra: " + launcher.start().describe() + " on " + launcher.host() + ":" + launcher.port());
    var config = NodeConfig.load(ConfigFactory.parseMap(Map.of(
        "griot.node.grpc-port", grpcPort,
        "griot.node.cassandra-contact-point", launcher.host() + ":" + launcher.port())));
    var settings = NodeSettings.fromConfig(config);
    var system = GriotNode.start(config);
    String server = settings.grpcHost() + ":" + settings.grpcPort();
    System.out.println("griot: node up, gRPC on " + server + ", keyspace "
        + config.getString("griot.persistence.keyspace") + ", workspaces under "
        + dev.griot.agent.worker.WorkerSettings.fromConfig(config, settings.home()).workspaceRoot());
    System.out.println("griot: try `./griot run submit --harness scripted --prompt hello -o turns=3 --watch`; Ctrl-C stops the node");
    if (demo) {
      try (var client = new CliClient(server)) {
        Demo.run(client, System.out);
      }
    }
    return GriotNode.awaitTermination(system);
  }
}
