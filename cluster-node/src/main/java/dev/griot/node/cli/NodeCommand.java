package dev.griot.node.cli;

import dev.griot.node.GriotNode;
import dev.griot.node.NodeConfig;
import picocli.CommandLine.Command;

@Command(name = "node", description = "Run a Griot node against an existing Cassandra (production, Kubernetes).")
final class NodeCommand implements Runnable {
  @Override
  public void run() {
    UpCommand.keepRunning();
    GriotNode.start(NodeConfig.load());
  }
}
