package dev.griot.node.cli;

import dev.griot.node.GriotNode;
import dev.griot.node.NodeConfig;
import picocli.CommandLine.Command;

@Command(mixinStandardHelpOptions = true, name = "schema", description = "Create Griot's keyspace and tables in Cassandra (idempotent).")
final class SchemaCommand implements Runnable {
  @Override
  public void run() {
    var config = NodeConfig.load();
    GriotNode.applySchema(config);
    System.out.println("schema applied to keyspace " + config.getString("griot.persistence.keyspace"));
  }
}
