package dev.griot.node.cli;

import dev.griot.node.GriotNode;
import dev.griot.node.NodeConfig;
import picocli.CommandLine.Command;

@Command(mixinStandardHelpOptions = true, name = "node", description = "Run a Griot node against an existing Cassandra (production, Kubernetes).")
final class NodeCommand implements java.util.concurrent.Callable<Integer> {
  @Override
  public Integer call() {
    return GriotNode.awaitTermination(GriotNode.start(NodeConfig.load()));
  }
}
